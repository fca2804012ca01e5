// Drives the delivery log page in a real browser (Debian's chromium, headless, through npm
// playwright-core) as a person would: types the key, searches by recipient, opens the message and
// reads its timeline. Prints one JSON line with what it saw; exits 1 with the reason on failure.
// Usage: node delivery-log-browser.mjs --url http://127.0.0.1:N/ --to <recipient> --id <message id>
//        [--screenshot out.png] [--screenshot-narrow out.png]   (the key comes from BRIDGE_UI_KEY, never an argument)
// Needs BRIDGE_PLAYWRIGHT_MODULES (a node_modules folder holding playwright-core) and chromium at
// BRIDGE_CHROMIUM or /usr/bin/chromium.
import { parseArgs } from 'node:util';
import { launchChromium } from './chromium.mjs';

const { values: args } = parseArgs({
  options: {
    url: { type: 'string' }, to: { type: 'string' }, id: { type: 'string' },
    screenshot: { type: 'string' }, 'screenshot-narrow': { type: 'string' },
  },
});
const key = process.env.BRIDGE_UI_KEY;
const modules = process.env.BRIDGE_PLAYWRIGHT_MODULES;
if (!key || !modules || !args.url || !args.to || !args.id) {
  console.error('Needs --url, --to, --id, BRIDGE_UI_KEY and BRIDGE_PLAYWRIGHT_MODULES.');
  process.exit(2);
}

const browser = await launchChromium(modules);
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 760 } });
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
  page.setDefaultTimeout(10000);

  await page.goto(args.url);
  await page.getByLabel('API key').fill(key);
  await page.getByLabel('API key').press('Enter');
  await page.getByLabel('Recipient').fill(args.to);
  await page.getByLabel('Recipient').press('Enter');
  await page.locator('table[aria-busy="false"]').waitFor();
  const row = page.locator(`tbody tr[data-id="${args.id}"]`);
  await row.waitFor();
  // Open it from the keyboard: focus the row and press Enter.
  await row.focus();
  await page.keyboard.press('Enter');
  const timeline = page.locator('aside ol.timeline li');
  await page.locator('aside ol.timeline .status.sent').waitFor();
  await page.locator('ul.stats button').first().waitFor();

  const seen = {
    url: page.url(),
    rows: await page.locator('tbody tr').count(),
    timeline: await timeline.locator('.status').allTextContents(),
    smtp: await timeline.locator('.smtp').allTextContents(),
    facts: await page.locator('aside dl').evaluate((dl) => Object.fromEntries(
      [...dl.querySelectorAll('dt')].map((dt) => [dt.textContent, dt.nextElementSibling?.textContent ?? '']))),
    localStorage: await page.evaluate(() => Object.keys(localStorage).map((k) => k + '=' + localStorage.getItem(k))),
    sessionStorageHasKey: await page.evaluate((k) => Object.keys(sessionStorage).some((n) => sessionStorage.getItem(n) === k), key),
    keyInputEmpty: (await page.getByLabel('API key').inputValue()) === '',
    problems,
  };
  if (args.screenshot) {
    await page.screenshot({ path: args.screenshot, fullPage: true });
  }

  // A phone-sized screen: nothing may need sideways scrolling.
  await page.setViewportSize({ width: 390, height: 844 });
  seen.narrowOverflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  if (args['screenshot-narrow']) {
    await page.screenshot({ path: args['screenshot-narrow'], fullPage: true });
  }

  // Esc closes the message and gives the focus back to its row.
  await page.keyboard.press('Escape');
  seen.closedWithEscape = await page.locator('aside').isHidden();
  seen.focusBackOnRow = await page.evaluate((id) => document.activeElement?.dataset?.id === id, args.id);

  console.log(JSON.stringify(seen));
} catch (e) {
  console.error(String(e && e.stack || e));
  process.exitCode = 1;
} finally {
  await browser.close();
}
