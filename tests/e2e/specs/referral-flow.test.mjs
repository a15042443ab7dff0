// The end-to-end scenario on the real window against the sandbox organisations: first
// run -> sandbox organisations -> a referral for a new patient across two organisations -> hold
// -> book -> booked in the worklist -> cancel -> a slot taken by someone else is refused with a
// clear message. Screenshots of the main screens go to docs/screenshots/.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, test } from 'node:test';
import {
  byTestId, dateWindow, debugScreenshot, fill, invoke, launchApp, press, screenshot, typeDate,
  waitForAttribute,
} from '../lib/app.mjs';

const PATIENT = { family: 'Okafor', given: 'Adaeze', birthDate: '1984-03-09', mrn: 'E2E-1001' };
const RIVAL = { family: 'Lindqvist', given: ['Maja'], birthDate: '1990-11-21', gender: 'female', mrn: 'E2E-2002', phone: null, email: null };


let app;
let browser;
let orgIds = [];
let bookedReferralId;

before(async () => {
  app = await launchApp();
  browser = app.browser;
});

afterEach(async (t) => {
  await debugScreenshot(browser, t.name);
});

after(async () => {
  await browser?.deleteSession();
});

/** Walks the wizard up to the streamed results for a new patient at `orgs`. */
async function searchForNewPatient(patient, orgs) {
  await press(browser, 'new-referral');
  await waitForAttribute(byTestId(browser, 'wizard'), 'data-step', 'patient');
  await fill(browser, 'patient-family', patient.family);
  await fill(browser, 'patient-given', patient.given);
  await typeDate(browser, 'patient-birth-date', patient.birthDate, { asIso: patient.typeIso });
  await fill(browser, 'patient-mrn', patient.mrn);
  await press(browser, 'wizard-next');
  await waitForAttribute(byTestId(browser, 'wizard'), 'data-step', 'service');
  await byTestId(browser, 'service-specialty').selectByIndex(1);
  await fill(browser, 'service-reason', 'Suspicious naevus on the left forearm, changing over 3 months.');
  await press(browser, 'wizard-next');
  await waitForAttribute(byTestId(browser, 'wizard'), 'data-step', 'organisations');
  for (const id of orgs) await press(browser, `org-checkbox-${id}`);
  await press(browser, 'wizard-next');
  await waitForAttribute(byTestId(browser, 'wizard'), 'data-step', 'dates');
  await press(browser, 'wizard-next');
  await waitForAttribute(byTestId(browser, 'find-results'), 'data-finished', 'true', 60_000);
}

test('first run offers sandbox organisations and lands on an empty worklist', async () => {
  await byTestId(browser, 'first-run').waitForDisplayed({ timeout: 30_000 });
  await screenshot(browser, 'first-run');
  await press(browser, 'first-run-sandbox');
  await byTestId(browser, 'worklist').waitForDisplayed({ timeout: 60_000 });
  await byTestId(browser, 'worklist-empty').waitForDisplayed({ timeout: 15_000 });
});

test('the wizard finds times at two organisations for a new patient, earliest first', async () => {
  const status = await invoke(browser, 'list_organisations', { request: { includeDisabled: false } });
  assert.equal(status.ok, true, status.error);
  orgIds = status.value.organisations.map((o) => o.id).slice(0, 2);
  assert.equal(orgIds.length, 2, 'the sandbox offers fewer than two organisations');

  await searchForNewPatient(PATIENT, orgIds);
  for (const id of orgIds) {
    assert.equal(await byTestId(browser, `find-progress-${id}`).getAttribute('data-state'), 'done');
  }
  const options = await browser.$$('[data-testid="result-option"]');
  assert.ok(options.length > 0, 'no appointment times were offered');
  const fromOrgs = new Set();
  for (const option of options) fromOrgs.add(await option.getAttribute('data-organisation-id'));
  assert.ok([...fromOrgs].every((id) => orgIds.includes(id)), 'an option came from an organisation not asked');
  await screenshot(browser, 'results');
});

test('holding then booking the earliest time shows a confirmation', async () => {
  const first = (await browser.$$('[data-testid="hold-button"]'))[0];
  await first.click();
  await waitForAttribute(byTestId(browser, 'wizard'), 'data-step', 'book');
  const countdown = byTestId(browser, 'hold-countdown');
  await countdown.waitForDisplayed();
  assert.ok(Number(await countdown.getAttribute('data-seconds-left')) > 0, 'the hold has no time left');
  await screenshot(browser, 'hold');
  await fill(browser, 'book-comment', 'Patient prefers mornings.');
  await press(browser, 'book-button');
  const confirmation = byTestId(browser, 'confirmation');
  await confirmation.waitForDisplayed({ timeout: 30_000 });
  assert.ok(await confirmation.getAttribute('data-appointment-id'), 'the confirmation names no appointment');
  await screenshot(browser, 'confirmation');
});

test('the worklist shows the referral as booked', async () => {
  await press(browser, 'nav-worklist');
  const row = browser.$(`//tr[@data-testid="worklist-row"][contains(., "${PATIENT.family}")]`);
  await waitForAttribute(row, 'data-status', 'booked');
  bookedReferralId = await row.getAttribute('data-referral-id');
  await screenshot(browser, 'worklist');
});

test('cancelling the booked referral with a reason shows it cancelled', async () => {
  await browser.$(`[data-referral-id="${bookedReferralId}"] a`).click();
  await byTestId(browser, 'referral-detail').waitForDisplayed();
  await press(browser, 'cancel-button');
  await byTestId(browser, 'cancel-dialog').waitForDisplayed();
  await byTestId(browser, 'cancel-reason').selectByIndex(1);
  await screenshot(browser, 'cancel');
  await press(browser, 'cancel-confirm');
  await waitForAttribute(byTestId(browser, 'referral-detail'), 'data-status', 'cancelled');
  await press(browser, 'nav-worklist');
  await waitForAttribute(browser.$(`[data-referral-id="${bookedReferralId}"]`), 'data-status', 'cancelled');
});

test('a time another desk booked meanwhile is refused with a clear message', async () => {
  await searchForNewPatient({ ...PATIENT, family: 'Brennan', mrn: 'E2E-1002', typeIso: true }, orgIds);
  const option = (await browser.$$('[data-testid="result-option"]'))[0];
  const orgId = await option.getAttribute('data-organisation-id');

  // A second actor books the same time through the app's own commands while ours is on screen.
  const codes = await invoke(browser, 'code_tables', { request: {} });
  const specialty = codes.value.specialties[0];
  const created = await invoke(browser, 'create_referral', {
    request: {
      patient: RIVAL, coverage: null, patientLinks: [],
      service: { specialty, visitType: null, priority: codes.value.priorities[0], reason: 'Rival booking' },
      organisationIds: [orgId], window: dateWindow(),
    },
  });
  assert.equal(created.ok, true, created.error);
  const found = await invoke(browser, 'find_slots',
    { request: { referralId: created.value.id, organisationIds: [orgId], window: null } }, ['onProgress']);
  assert.equal(found.ok, true, found.error);
  // Same specialty, window and organisation: its earliest time is the one first on our screen.
  const same = found.value.options.find((o) => o.organisationId === orgId);
  assert.ok(same, 'the rival search offered nothing at that organisation');
  const held = await invoke(browser, 'hold_slot', { request: { referralId: created.value.id, optionId: same.optionId } });
  assert.equal(held.ok, true, held.error);
  const booked = await invoke(browser, 'book_slot', { request: { referralId: created.value.id, optionId: null, comment: null } });
  assert.equal(booked.ok, true, booked.error);

  await (await option.$('[data-testid="hold-button"]')).click();
  const banner = byTestId(browser, 'error-banner');
  await banner.waitForDisplayed({ timeout: 30_000 });
  assert.equal(await banner.getAttribute('data-code'), 'slot_taken');
  const sentence = await banner.getText();
  assert.match(sentence, /[A-Z].*\./, `not a sentence: ${sentence}`);
  assert.doesNotMatch(sentence, /Error\(|\{|undefined|panicked/, `a debug string reached the user: ${sentence}`);
  await screenshot(browser, 'slot-taken');
});

test('after the whole scenario the app log holds no patient data, tokens or assertions', () => {
  const log = readFileSync(join(app.dataDir, 'logs', 'referral-desk.log'), 'utf8');
  assert.ok(log.length > 0, 'the app wrote no log at all');
  for (const secret of [PATIENT.family, PATIENT.given, PATIENT.mrn, 'Brennan', RIVAL.family, RIVAL.mrn, PATIENT.birthDate]) {
    assert.ok(!log.includes(secret), `the log mentions patient data: ${secret}`);
  }
  assert.doesNotMatch(log, /bearer\s|eyJ[A-Za-z0-9_-]{10,}|client_assertion|BEGIN [A-Z ]*PRIVATE KEY/i, 'the log holds a token, assertion or key');
});
