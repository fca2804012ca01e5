// Drives npm postmark, unmodified, against Bridge's Postmark drop-in endpoints, and prints one JSON object with
// what each scenario saw. Usage: node postmark-clients.mjs <host:port/api/compat/postmark> <token> <run-id>
// BRIDGE_POSTMARK_MODULES names the node_modules folder that holds postmark.
import { createRequire } from 'node:module';

const [host, token, run] = process.argv.slice(2);
const require = createRequire(process.env.BRIDGE_POSTMARK_MODULES + '/');
const postmark = require('postmark');

const client = (t) => new postmark.ServerClient(t, { useHttps: false, requestHost: host, timeout: 30 });

async function attempt(send) {
  try {
    return { ok: await send() };
  } catch (e) {
    return { error: { name: e.name, code: e.code, statusCode: e.statusCode, message: e.message } };
  }
}

const server = client(token);
const result = {};
result.single = await attempt(() => server.sendEmail({
  From: 'Shop <orders@shop.example>',
  To: '"Ann, A." <ann@example.org>, bo@example.org',
  Cc: 'cc@example.org',
  ReplyTo: 'help@shop.example',
  Subject: `postmark single ${run}`,
  TextBody: 'Plain body ünïcode',
  HtmlBody: '<p>HTML body <img src="cid:logo.png"></p>',
  Tag: run,
  Metadata: { order: '1042' },
  Headers: [{ Name: 'X-Order', Value: '1042' }],
  MessageStream: 'outbound',
  TrackOpens: false,
  Attachments: [
    { Name: 'invoice.txt', Content: Buffer.from('invoice bytes ✓').toString('base64'), ContentType: 'text/plain', ContentID: null },
    { Name: 'logo.png', Content: Buffer.from([0x89, 0x50, 0x4e, 0x47]).toString('base64'), ContentType: 'image/png', ContentID: 'cid:logo.png' },
  ],
}));
result.batch = await attempt(() => server.sendEmailBatch([
  { From: 'orders@shop.example', To: 'dee@example.org', Subject: `postmark batch ${run} 0`, TextBody: 'first', Tag: run },
  { From: 'ceo@bank.example', To: 'dee@example.org', Subject: `postmark batch ${run} 1`, TextBody: 'foreign sender', Tag: run },
  { From: 'orders@shop.example', To: 'dee@example.org', Subject: `postmark batch ${run} 2`, TextBody: 'third', Tag: run },
  { From: 'orders@shop.example', To: 'dee@example.org', Subject: `postmark batch ${run} 3`, TextBody: 'tracked', TrackOpens: true, Tag: run },
]));
result.invalid = await attempt(() => server.sendEmail({ From: 'orders@shop.example', Subject: `postmark no recipient ${run}`, TextBody: 'x', Tag: run }));
result.badToken = await attempt(() => client('not-a-bridge-key').sendEmail({ From: 'orders@shop.example', To: 'ann@example.org', Subject: 'x', TextBody: 'x' }));
console.log(JSON.stringify(result));
