// Opens the API reference page in a real browser (Debian's chromium, headless, through npm playwright-core),
// waits until it shows an operation from the OpenAPI document, and records every request the page made, so the
// test can check none left the server's origin (no CDN, no fonts, no telemetry).
// Prints one JSON line: { requests: [urls], problems: [console errors], shown: true }; exits 1 with the reason on failure.
// Usage: node api-reference-browser.mjs --url http://127.0.0.1:N/api/reference --expect "Send one message"
// Needs BRIDGE_PLAYWRIGHT_MODULES (a node_modules folder holding playwright-core) and chromium at
// BRIDGE_CHROMIUM or /usr/bin/chromium.
import { parseArgs } from 'node:util';
import { launchChromium } from './chromium.mjs';

const { values: args } = parseArgs({ options: { url: { type: 'string' }, expect: { type: 'string' } } });
const modules = process.env.BRIDGE_PLAYWRIGHT_MODULES;
if (!modules || !args.url || !args.expect) {
  console.error('Needs --url, --expect and BRIDGE_PLAYWRIGHT_MODULES.');
  process.exit(2);
}

const browser = await launchChromium(modules);
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 760 } });
  const requests = [];
  const problems = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => problems.push(String(e)));
  page.setDefaultTimeout(20000);

  await page.goto(args.url);
  await page.getByText(args.expect).first().waitFor();
  await page.waitForLoadState('networkidle');
  console.log(JSON.stringify({ requests, problems, shown: true }));
} catch (e) {
  console.error(String(e));
  process.exitCode = 1;
} finally {
  await browser.close();
}
