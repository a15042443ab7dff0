// Launches the real Referral Desk binary through tauri-driver (started by run.sh) with a fresh,
// isolated profile, and offers the few helpers the specs share.
import { mkdtemp, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { remote } from 'webdriverio';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const SCREENSHOTS = join(ROOT, 'docs', 'screenshots');

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the specs through tests/e2e/run.sh`);
  return value;
}

/** A new empty profile directory; every file the app writes goes under it. */
export async function freshProfile() {
  const base = process.env.REFDESK_E2E_TMP ?? tmpdir();
  return mkdtemp(join(base, 'profile-'));
}

/**
 * Starts the app in a new WebDriver session. The profile goes in as `--data-dir=` because
 * WebDriver can hand the app arguments but not environment variables.
 */
export async function launchApp({ dataDir } = {}) {
  const profile = dataDir ?? (await freshProfile());
  const browser = await remote({
    hostname: '127.0.0.1',
    port: Number(required('REFDESK_DRIVER_PORT')),
    logLevel: 'warn',
    connectionRetryCount: 0,
    connectionRetryTimeout: 60_000,
    capabilities: {
      // WebKitWebDriver speaks classic WebDriver only; without this WebdriverIO 9 asks for BiDi.
      'wdio:enforceWebDriverClassic': true,
      'tauri:options': {
        application: required('REFDESK_APP_BIN'),
        args: [`--data-dir=${profile}`],
      },
    },
  });
  return { browser, dataDir: profile };
}

/** The element carrying `data-testid` (see ui/TESTIDS.md). */
export function byTestId(browser, id) {
  return browser.$(`[data-testid="${id}"]`);
}

/** Saves docs/screenshots/<name>.png after a short pause, so WebKit has painted the frame. */
export async function screenshot(browser, name) {
  await mkdir(SCREENSHOTS, { recursive: true });
  await sleep(500);
  const path = join(SCREENSHOTS, `${name}.png`);
  await browser.saveScreenshot(path);
  return path;
}
