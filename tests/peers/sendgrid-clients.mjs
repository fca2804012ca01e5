// Drives npm @sendgrid/mail, unmodified, against Bridge's SendGrid drop-in endpoint, and prints one JSON object
// with what each scenario saw. Usage: node sendgrid-clients.mjs <base-url> <key> <run-id>
// BRIDGE_SENDGRID_MODULES names the node_modules folder that holds @sendgrid/mail and @sendgrid/client.
import { createRequire } from 'node:module';

const [base, key, run] = process.argv.slice(2);
const require = createRequire(process.env.BRIDGE_SENDGRID_MODULES + '/');
const sgMail = require('@sendgrid/mail');
const { Client } = require('@sendgrid/client');

function use(apiKey) {
  const client = new Client();
  client.setApiKey(apiKey);
  // After setApiKey, which resets the base URL to SendGrid's.
  client.setDefaultRequest('baseUrl', base);
  sgMail.setClient(client);
}

async function attempt(send) {
  try {
    const [response] = await send();
    return { status: response.statusCode, messageId: response.headers['x-message-id'] ?? null };
  } catch (e) {
    return { status: e.code ?? null, body: e.response?.body ?? null, error: String(e.message) };
  }
}

const from = { email: 'orders@shop.example', name: 'Shop' };
const result = {};
use(key);
result.single = await attempt(() => sgMail.send({
  to: { email: 'ann@example.org', name: 'Ann' },
  cc: 'cc@example.org',
  from,
  replyTo: 'help@shop.example',
  subject: `sendgrid single ${run}`,
  text: 'Plain body ünïcode',
  html: '<p>HTML body</p>',
  categories: ['orders', run],
  customArgs: { order: '1042' },
  headers: { 'X-Order': '1042' },
  attachments: [{ content: Buffer.from('invoice bytes ✓').toString('base64'), filename: 'invoice.txt', type: 'text/plain', disposition: 'attachment' }],
}));
result.multiple = await attempt(() => sgMail.sendMultiple({
  to: ['bo@example.org', 'cy@example.org'],
  from,
  subject: `sendgrid multiple ${run}`,
  text: 'One message per recipient',
  categories: [run],
}));
result.invalid = await attempt(() => sgMail.send({ to: 'ann@example.org', from, text: 'no subject', categories: [run] }));
result.foreignSender = await attempt(() => sgMail.send({ to: 'ann@example.org', from: 'ceo@bank.example', subject: `sendgrid foreign ${run}`, text: 'x' }));
use('SG.not-a-bridge-key');
result.badKey = await attempt(() => sgMail.send({ to: 'ann@example.org', from, subject: `sendgrid bad key ${run}`, text: 'x' }));
console.log(JSON.stringify(result));
