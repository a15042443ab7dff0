// Issue 5: a hold is released when the app closes. A hold is taken through the app's own commands
// (not the wizard, so the page's `beforeunload` handler knows nothing of it and only the shell's
// exit path can release it), the app is asked to exit, and it is started again on the same
// profile: the referral is back to `searching` and the organisation offers the held time again.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, afterEach, test } from 'node:test';
import { byTestId, dateWindow, debugScreenshot, invoke, launchApp, press } from '../lib/app.mjs';

const PATIENT = { family: 'Haddad', given: ['Rami'], birthDate: '1977-06-14', gender: 'male', mrn: 'E2E-3003', phone: null, email: null };
const OTHER = { family: 'Moreau', given: ['Lise'], birthDate: '1969-02-02', gender: 'female', mrn: 'E2E-3004', phone: null, email: null };


let app;
let referralId;
let orgIds = [];
let orgId;
let heldStart;

afterEach(async (t) => {
  // After the exit test the app is gone until the next launch: nothing to capture.
  if (!t.name.startsWith('asked to exit')) await debugScreenshot(app?.browser, t.name);
});

after(async () => {
  await app?.browser.deleteSession().catch(() => undefined);
});

async function createReferral(browser, patient) {
  const codes = await invoke(browser, 'code_tables', { request: {} });
  assert.equal(codes.ok, true, codes.error);
  const created = await invoke(browser, 'create_referral', {
    request: {
      patient, coverage: null, patientLinks: [],
      service: { specialty: codes.value.specialties[0], visitType: null, priority: codes.value.priorities[0], reason: 'Close test' },
      organisationIds: orgIds, window: dateWindow(),
    },
  });
  assert.equal(created.ok, true, created.error);
  return created.value.id;
}

/** Ids of the app processes started on `dataDir` (their command line carries it). */
function appPids(dataDir) {
  const out = spawnSync('pgrep', ['-f', `referral-desk --data-dir=${dataDir}`], { encoding: 'utf8' });
  return out.stdout.split('\n').filter(Boolean).map(Number);
}

/** A time at the organisation: start and practitioner (two practitioners may share a start). */
function timeKey(option) {
  return `${option.start}|${option.practitioner}`;
}

async function startsOffered(browser, id) {
  const found = await invoke(browser, 'find_slots',
    { request: { referralId: id, organisationIds: [orgId], window: null } }, ['onProgress']);
  assert.equal(found.ok, true, found.error);
  return found.value.options.filter((o) => o.organisationId === orgId).map(timeKey);
}

test('a hold taken through the app is on at the organisation', async () => {
  app = await launchApp();
  const { browser } = app;
  await byTestId(browser, 'first-run').waitForDisplayed({ timeout: 30_000 });
  await press(browser, 'first-run-sandbox');
  await byTestId(browser, 'worklist').waitForDisplayed({ timeout: 60_000 });
  const orgs = await invoke(browser, 'list_organisations', { request: { includeDisabled: false } });
  assert.equal(orgs.ok, true, orgs.error);
  orgIds = orgs.value.organisations.map((o) => o.id);

  referralId = await createReferral(browser, PATIENT);
  const found = await invoke(browser, 'find_slots',
    { request: { referralId, organisationIds: orgIds, window: null } }, ['onProgress']);
  assert.equal(found.ok, true, found.error);
  const option = found.value.options[0];
  assert.ok(option, `no organisation offered a time: ${JSON.stringify(found.value)}`);
  orgId = option.organisationId;
  const held = await invoke(browser, 'hold_slot', { request: { referralId, optionId: option.optionId } });
  assert.equal(held.ok, true, held.error);
  heldStart = timeKey(option);

  // Another referral with the same service and window is not offered the held time.
  const other = await createReferral(browser, OTHER);
  assert.ok(!(await startsOffered(browser, other)).includes(heldStart), 'the held time is still offered');
});

test('asked to exit, the app releases the hold before it exits', async () => {
  // Closing the last window and SIGTERM reach the same exit path (the shell's ExitRequested
  // handler). Under WebDriver the window cannot be closed like a user does: closing it through
  // WebDriver ends the session and the app process is gone within a second, before any exit path
  // runs. So the app gets SIGTERM, as at logout.
  const pids = appPids(app.dataDir);
  assert.equal(pids.length, 1, `expected one app process for the profile, found ${pids.length}`);
  process.kill(pids[0], 'SIGTERM');
  for (let i = 0; i < 40 && appPids(app.dataDir).length > 0; i += 1) await sleep(250);
  assert.equal(appPids(app.dataDir).length, 0, 'the app did not exit within 10 s of SIGTERM');
  const text = readFileSync(join(app.dataDir, 'logs', 'referral-desk.log'), 'utf8');
  assert.match(text, /shutdown: 1 holds released/, 'the app did not release the hold on exit');
});

test('started again on the same profile, the referral is searching and the time is free', async () => {
  await app.browser.deleteSession().catch(() => undefined);
  app = await launchApp({ dataDir: app.dataDir });
  const { browser } = app;
  await byTestId(browser, 'worklist').waitForDisplayed({ timeout: 60_000 });
  let detail;
  // Start-up restarts the sandbox organisations in the background; wait for them to answer.
  for (let i = 0; i < 40; i += 1) {
    detail = await invoke(browser, 'get_referral', { request: { id: referralId } });
    if (detail.ok) break;
    await sleep(250);
  }
  assert.equal(detail.ok, true, detail.error);
  assert.equal(detail.value.summary.status, 'searching');
  let starts = [];
  for (let i = 0; i < 40; i += 1) {
    const found = await invoke(browser, 'find_slots',
        { request: { referralId, organisationIds: [orgId], window: null } }, ['onProgress']);
    if (found.ok) {
      starts = found.value.options.filter((o) => o.organisationId === orgId).map(timeKey);
      if (starts.length > 0) break;
    }
    await sleep(250);
  }
  assert.ok(starts.includes(heldStart), 'the organisation does not offer the released time again');
});
