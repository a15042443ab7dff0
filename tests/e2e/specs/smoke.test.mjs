// Smoke: the built app starts in a window, titles itself, renders its first screen and keeps its
// files in the profile it was given (so tests never touch a real profile).
import assert from 'node:assert/strict';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { invoke, launchApp, screenshot } from '../lib/app.mjs';

let app;

before(async () => {
  app = await launchApp();
});

after(async () => {
  await app?.browser.deleteSession();
});

test('the window shows the Referral Desk page', async () => {
  const { browser } = app;
  await browser.waitUntil(async () => (await browser.getTitle()) === 'Referral Desk', {
    timeout: 15_000,
    timeoutMsg: 'the page title never became "Referral Desk"',
  });
  const body = browser.$('body');
  await browser.waitUntil(async () => (await body.getText()).trim().length > 0, {
    timeout: 15_000,
    timeoutMsg: 'the first screen rendered no text',
  });
});

test('the first screen is captured for the README', async () => {
  const path = await screenshot(app.browser, 'first-screen');
  assert.ok(statSync(path).size > 5_000, `${path} is too small to hold a rendered window`);
});

test('the app writes its log into the profile given with --data-dir', () => {
  const log = join(app.dataDir, 'logs', 'referral-desk.log');
  assert.ok(existsSync(log), `${log} was not created: the app ignored --data-dir`);
});

/** Whether this machine has a GPU render node we may open (what src-tauri/src/rendering.rs asks). */
function gpuUsable() {
  let nodes;
  try {
    nodes = readdirSync('/dev/dri').filter((name) => name.startsWith('renderD'));
  } catch {
    return false;
  }
  return nodes.some((name) => {
    try {
      closeSync(openSync(join('/dev/dri', name), 'r+'));
      return true;
    } catch {
      return false;
    }
  });
}

function loggedRendering(dataDir) {
  const log = readFileSync(join(dataDir, 'logs', 'referral-desk.log'), 'utf8');
  return [...log.matchAll(/rendering: (\w+)/g)].map((m) => m[1]).at(-1);
}

test('the window draws on the CPU when the machine has no GPU, through the GPU otherwise', () => {
  assert.equal(loggedRendering(app.dataDir), gpuUsable() ? 'gpu' : 'cpu');
});

test('a declared command answers through the IPC bridge under the strict CSP', async () => {
  const answer = await invoke(app.browser, 'code_tables', { request: {} });
  assert.equal(answer.ok, true, `code_tables failed: ${answer.error}`);
  assert.ok(answer.value.specialties.length > 0, 'code_tables returned no specialties');
});

test('a plugin command the capability does not grant is refused', async () => {
  const answer = await invoke(app.browser, 'plugin:window|set_title', { label: 'main', value: 'x' });
  assert.equal(answer.ok, false, 'set_title was allowed although core:window is not granted');
  assert.match(answer.error, /not allowed/i);
});

test('--rendering=gpu keeps WebKit\'s GPU path and the page still renders', async () => {
  // One WebDriver session at a time: the first app closes before this one starts.
  await app.browser.deleteSession();
  app = undefined;
  const gpu = await launchApp({ args: ['--rendering=gpu'] });
  try {
    const body = gpu.browser.$('body');
    await gpu.browser.waitUntil(async () => (await body.getText()).trim().length > 0, {
      timeout: 15_000,
      timeoutMsg: 'the first screen rendered no text with --rendering=gpu',
    });
    assert.equal(loggedRendering(gpu.dataDir), 'gpu');
  } finally {
    await gpu.browser.deleteSession();
  }
});
