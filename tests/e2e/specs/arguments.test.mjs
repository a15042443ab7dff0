// The app's own command line, on the built binary without WebDriver: --help and --version answer
// and exit 0 before any window, an unknown flag is refused with a one-line message and a non-zero
// exit, and `--data-dir DIR` (the space form, which older builds ignored) puts the worklist and
// the log under DIR.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { freshProfile } from '../lib/app.mjs';

const APP = process.env.REFDESK_APP_BIN;

function run(args) {
  return spawnSync(APP, args, { encoding: 'utf8', timeout: 30_000 });
}

test('--help prints the options and exits 0', () => {
  const out = run(['--help']);
  assert.equal(out.status, 0, out.stderr);
  for (const flag of ['--data-dir DIR', '--key-file', '--version']) assert.match(out.stdout, new RegExp(flag));
});

test('--version prints the name and version and exits 0', () => {
  const out = run(['--version']);
  assert.equal(out.status, 0, out.stderr);
  assert.match(out.stdout, /^referral-desk \d+\.\d+\.\d+\n$/);
});

test('an unknown flag is refused with one line naming it and a non-zero exit', () => {
  const out = run(['--bogus']);
  assert.notEqual(out.status, 0);
  assert.equal(out.stdout, '');
  const lines = out.stderr.trim().split('\n');
  assert.equal(lines.length, 1, out.stderr);
  assert.match(lines[0], /--bogus/);
});

test('--data-dir DIR keeps the worklist and the log under DIR', async () => {
  const dir = await freshProfile();
  const app = spawn(APP, ['--data-dir', dir, '--key-file'], { stdio: 'ignore' });
  const worklist = join(dir, 'worklist.sqlite3');
  const log = join(dir, 'logs', 'referral-desk.log');
  try {
    for (let i = 0; i < 300 && !(existsSync(worklist) && existsSync(log)); i += 1) await sleep(100);
    assert.ok(existsSync(worklist), `${worklist} was not created: the app ignored --data-dir DIR`);
    assert.ok(existsSync(log), `${log} was not created: the app ignored --data-dir DIR`);
  } finally {
    if (app.exitCode === null && app.signalCode === null) {
      const exited = new Promise((resolve) => app.once('exit', () => resolve(true)));
      app.kill('SIGTERM');
      // SIGTERM runs the app's shutdown; a stuck one must not keep the suite waiting.
      if (!(await Promise.race([exited, sleep(15_000).then(() => false)]))) app.kill('SIGKILL');
    }
  }
});
