// Starts Debian's chromium headless through npm playwright-core, for the browser scripts in this folder.
// BRIDGE_PLAYWRIGHT_MODULES names a node_modules folder holding playwright-core; BRIDGE_CHROMIUM the browser
// (default /usr/bin/chromium).
import { createRequire } from 'node:module';
import { join } from 'node:path';

export async function launchChromium(modules) {
  // ES module imports ignore NODE_PATH, so the package is loaded from the folder the test names.
  const { chromium } = createRequire(join(modules, 'noop.js'))('playwright-core');
  return chromium.launch({
    executablePath: process.env.BRIDGE_CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
}
