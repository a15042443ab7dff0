// Launches the real Referral Desk binary through tauri-driver (started by run.sh) with a fresh,
// isolated profile, and offers the few helpers the specs share.
import { execFile } from 'node:child_process';
import { mkdtemp, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
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
export async function launchApp({ dataDir, args = [] } = {}) {
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
        args: [`--data-dir=${profile}`, ...args],
      },
    },
  });
  return { browser, dataDir: profile };
}

/** The element carrying `data-testid` (see ui/TESTIDS.md). */
export function byTestId(browser, id) {
  return browser.$(`[data-testid="${id}"]`);
}

/**
 * Saves the X screen (the app's window fills the 1280x800 Xvfb screen) as a PNG with
 * ImageMagick's `import`. WebDriver's own screenshot never answers when the window draws on the
 * CPU, which is what the app chooses on a machine without a GPU such as this Xvfb
 * (src-tauri/src/rendering.rs); the X screen also shows exactly what a user would see.
 */
export async function captureScreen(path) {
  await promisify(execFile)('import', ['-window', 'root', path], { timeout: 30_000 });
}

/** Saves docs/screenshots/<name>.png after a short pause, so WebKit has painted the frame. */
export async function screenshot(_browser, name) {
  await mkdir(SCREENSHOTS, { recursive: true });
  await sleep(500);
  const path = join(SCREENSHOTS, `${name}.png`);
  await captureScreen(path);
  return path;
}

/** Types into a text field or textarea (React sees the key events). */
export async function fill(browser, id, value) {
  const el = byTestId(browser, id);
  await el.waitForDisplayed({ timeout: 15_000 });
  await el.clearValue();
  await el.setValue(value);
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
  'September', 'October', 'November', 'December'];

/**
 * Types a date into a date field key by key, in the order the field asks for (its placeholder,
 * e.g. MM/DD/YYYY, which follows the app's locale), or as ISO when `asIso`; then waits until the
 * field reads the date back in words, so a date the field did not understand fails here.
 */
export async function typeDate(browser, id, isoDate, { asIso = false } = {}) {
  const el = byTestId(browser, id);
  await el.waitForDisplayed({ timeout: 15_000 });
  const [y, m, d] = isoDate.split('-');
  const pattern = await el.getAttribute('placeholder');
  const typed = asIso || pattern === 'YYYY-MM-DD' ? isoDate
    : pattern === 'DD/MM/YYYY' ? `${d}/${m}/${y}` : `${m}/${d}/${y}`;
  await el.clearValue();
  await el.setValue(typed);
  const words = `${Number(d)} ${MONTHS[Number(m) - 1]} ${y}`;
  const readBack = byTestId(browser, `${id}-read`);
  await readBack.waitUntil(async function () { return (await this.getText()) === words; }, {
    timeout: 10_000,
    timeoutMsg: `${id}: typed "${typed}" but the field did not read back "${words}"`,
  });
  return typed;
}

/** Saves a screenshot into the run's scratch dir (kept when the run fails), for diagnosis. */
export async function debugScreenshot(browser, name) {
  const dir = process.env.REFDESK_E2E_TMP;
  if (!dir || !browser) return;
  const safe = name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
  await captureScreen(join(dir, `after-${safe}.png`)).catch(() => undefined);
}

/** Clicks the element carrying `data-testid` once it can be clicked. */
export async function press(browser, id) {
  const el = byTestId(browser, id);
  await el.waitForClickable({ timeout: 15_000 });
  await el.click();
}

/** Waits until the element's attribute has the wanted value. */
export async function waitForAttribute(el, name, wanted, timeout = 30_000) {
  await el.waitForExist({ timeout });
  await el.waitUntil(async function () {
    return (await this.getAttribute(name)) === wanted;
  }, { timeout, timeoutMsg: `${name} never became ${wanted}` });
}

/**
 * Calls a command through the page's IPC bridge, as the UI's client does (the same ACL and
 * handlers), for a second actor in a scenario. `channels` names arguments that take a stream;
 * their messages are collected and returned beside the result.
 */
export function invoke(browser, cmd, args, channels = []) {
  return browser.executeAsync(
    (name, payload, streamed, done) => {
      const internals = window.__TAURI_INTERNALS__;
      const messages = {};
      const full = { ...payload };
      for (const key of streamed) {
        messages[key] = [];
        const id = internals.transformCallback((message) => {
          // Tauri wraps channel messages as {index, message} or sends the message itself.
          messages[key].push(message && 'message' in message ? message.message : message);
        });
        full[key] = `__CHANNEL__:${id}`;
      }
      internals.invoke(name, full).then(
        (value) => done({ ok: true, value, messages }),
        (error) => done({ ok: false, error: typeof error === 'string' ? error : JSON.stringify(error) }),
      );
    },
    cmd,
    args,
    channels,
  ).catch((err) => ({ ok: false, error: String(err.message) }));
  // WebKitWebDriver reports a rejected IPC call as a script error of the execute call rather than
  // through our callback; both end up as {ok: false, error} carrying the ApiError JSON.
}

/** Local `YYYY-MM-DD` dates from `fromDays` to `toDays` days after today; the wizard's default
 * date window is tomorrow to 15 days from today. */
export function dateWindow(fromDays = 1, toDays = 15) {
  const day = (offset) => {
    const d = new Date();
    d.setDate(d.getDate() + offset);
    const pad = (n) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  };
  return { start: day(fromDays), end: day(toDays) };
}
