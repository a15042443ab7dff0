// The profile given with --data-dir holds the UI's preferences too: the theme chosen in the
// window is saved in <profile>/preferences.json (not in the platform's app data directory) and
// comes back when the app starts again on that profile.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, test } from 'node:test';
import { byTestId, debugScreenshot, launchApp, press } from '../lib/app.mjs';

let app;

afterEach(async (t) => {
  await debugScreenshot(app?.browser, `profile ${t.name}`);
});

after(async () => {
  await app?.browser.deleteSession().catch(() => undefined);
});

function savedTheme(dataDir) {
  const file = join(dataDir, 'preferences.json');
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')).theme;
  } catch {
    return undefined; // being written
  }
}

test('the theme chosen is kept in the --data-dir profile and comes back on the next start', async () => {
  app = await launchApp();
  const { browser, dataDir } = app;
  await press(browser, 'first-run-sandbox');
  await byTestId(browser, 'worklist').waitForExist({ timeout: 60_000 });
  await press(browser, 'theme-toggle'); // Auto -> Light
  await press(browser, 'theme-toggle'); // Light -> Dark
  await browser.waitUntil(async () => (await byTestId(browser, 'theme-toggle').getText()) === 'Dark theme', {
    timeout: 10_000,
    timeoutMsg: 'the theme button never read "Dark theme"',
  });
  await browser.waitUntil(async () => savedTheme(dataDir) === 'dark', {
    timeout: 10_000,
    timeoutMsg: `${join(dataDir, 'preferences.json')} never held the dark theme`,
  });

  await browser.deleteSession();
  app = await launchApp({ dataDir });
  const again = app.browser;
  await byTestId(again, 'worklist').waitForExist({ timeout: 60_000 });
  await again.waitUntil(async () => (await again.execute(() => document.documentElement.dataset.theme)) === 'dark', {
    timeout: 10_000,
    timeoutMsg: 'the dark theme did not come back on the next start',
  });
});
