// A real SMTP server that speaks AUTH XOAUTH2, for Bridge's OAuth tests (Nodemailer's smtp-server).
// The test that starts it controls it through files, so it can change its mind between logins:
//   --token-file  the one access token accepted right now (re-read at every AUTH). A line
//                 "disabled" after it makes every login fail the way Microsoft 365 does when
//                 SMTP AUTH is turned off (535 5.7.139).
//   --events      one JSON line per login attempt ({"auth":"ok"|"refused","user":...}) and per
//                 delivered message ({"mail":{from,to,size}}). Tokens are never written there.
// Usage: node xoauth2-smtp.mjs --port N --cert cert.pem --key key.pem --token-file F --events F
//        [--implicit-tls]   (default: STARTTLS required before AUTH)
// It prints "listening <port>" once it accepts connections, and exits when stdin closes, so a
// test that dies does not leave it behind.
import { appendFileSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    port: { type: 'string' },
    cert: { type: 'string' },
    key: { type: 'string' },
    'token-file': { type: 'string' },
    events: { type: 'string' },
    'implicit-tls': { type: 'boolean', default: false },
  },
});

// ES module imports ignore NODE_PATH, so the package is loaded from the folder the test names.
const modules = process.env.BRIDGE_SMTP_SERVER_MODULES;
if (!modules) {
  console.error('BRIDGE_SMTP_SERVER_MODULES must name the node_modules folder that holds smtp-server');
  process.exit(2);
}
const { SMTPServer } = createRequire(join(modules, 'noop.js'))('smtp-server');

const record = (entry) => appendFileSync(args.events, JSON.stringify(entry) + '\n');

const server = new SMTPServer({
  secure: args['implicit-tls'],
  key: readFileSync(args.key),
  cert: readFileSync(args.cert),
  authMethods: ['XOAUTH2'],
  // Like a provider: no AUTH over plain text, and no mail without a login.
  allowInsecureAuth: false,
  authOptional: false,
  disableReverseLookup: true,
  logger: false,
  onAuth(auth, session, callback) {
    const [accepted, mode] = readFileSync(args['token-file'], 'utf8').split('\n').map((line) => line.trim());
    if (mode === 'disabled') {
      record({ auth: 'disabled', user: auth.username });
      const error = new Error('5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information.');
      error.responseCode = 535;
      return callback(error);
    }

    if (auth.method !== 'XOAUTH2' || auth.accessToken !== accepted) {
      record({ auth: 'refused', user: auth.username });
      // smtp-server answers this with Google's 334 error challenge, then 535 once the client gives up.
      return callback(null, { data: { status: '401', schemes: 'bearer', scope: 'https://outlook.office365.com/.default' } });
    }

    record({ auth: 'ok', user: auth.username });
    return callback(null, { user: auth.username });
  },
  onData(stream, session, callback) {
    let size = 0;
    stream.on('data', (chunk) => { size += chunk.length; });
    stream.on('end', () => {
      record({
        mail: {
          user: session.user,
          from: session.envelope.mailFrom && session.envelope.mailFrom.address,
          to: session.envelope.rcptTo.map((r) => r.address),
          size,
        },
      });
      callback(null, 'Ok: queued');
    });
  },
});

server.on('error', (error) => console.error('smtp-server error:', error.message));
server.listen(Number(args.port), '127.0.0.1', () => console.log(`listening ${args.port}`));
process.stdin.resume();
// No graceful close: it would wait for the clients' pooled connections to end.
process.stdin.on('end', () => process.exit(0));
