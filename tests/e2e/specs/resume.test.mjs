// Issue 13, "resume anything", on the real window against the sandbox organisations: a referral
// left searching (its dates passed meanwhile), one left held and one flagged needs-attention are
// each finished from the referral detail. The needs-attention is provoked for real: the
// organisation's fault knobs (loopback admin endpoint) garble every answer while the detail books
// the held time, so `$book` is applied there but its answer and every read-back are lost.
import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import {
  byTestId, dateWindow, debugScreenshot, fill, invoke, launchApp, press, screenshot, typeDate,
  waitForAttribute,
} from '../lib/app.mjs';

const patient = (family, mrn) => ({
  family, given: ['Ines'], birthDate: '1979-10-04', gender: 'female', mrn, phone: null, email: null,
});

let browser;
let org;

before(async () => {
  ({ browser } = await launchApp());
});

afterEach(async (t) => {
  await debugScreenshot(browser, t.name);
});

after(async () => {
  await browser?.deleteSession();
});

function ok(result) {
  assert.equal(result.ok, true, result.error);
  return result.value;
}

/** A referral at the chosen organisation, searched once through the app's own commands. */
async function searchedReferral(p, { window = dateWindow(), patientLinks = [], orgIds = [org.id] } = {}) {
  const codes = ok(await invoke(browser, 'code_tables', { request: {} }));
  const created = ok(await invoke(browser, 'create_referral', {
    request: {
      patient: p, coverage: null, patientLinks,
      service: { specialty: codes.specialties[0], visitType: null, priority: codes.priorities[0], reason: 'Resume test' },
      organisationIds: orgIds, window,
    },
  }));
  const found = ok(await invoke(browser, 'find_slots',
    { request: { referralId: created.id, organisationIds: [], window: null } }, ['onProgress']));
  return { id: created.id, options: found.options };
}

/** Sets the organisation's fault knobs through the sandbox's loopback admin endpoint. */
async function setFaults(knobs) {
  const base = new URL(org.fhirBase);
  const name = base.pathname.split('/').filter(Boolean)[0];
  const res = await fetch(`${base.origin}/admin/${name}/faults`, {
    method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(knobs),
  });
  assert.equal(res.status, 200, await res.text());
}

async function openDetail(id, status) {
  // Through another screen, so the worklist is read afresh (the referral was made by commands).
  await press(browser, 'nav-appointments');
  await press(browser, 'nav-worklist');
  const row = browser.$(`[data-referral-id="${id}"]`);
  await waitForAttribute(row, 'data-status', status);
  await row.$('a').click();
  await waitForAttribute(byTestId(browser, 'referral-detail'), 'data-status', status);
}

async function timelineActions() {
  const events = await browser.$$('[data-testid="timeline-event"]');
  const texts = [];
  for (const e of events) texts.push(await e.getText());
  return texts;
}

test('first run with the sandbox organisations', async () => {
  await byTestId(browser, 'first-run').waitForDisplayed({ timeout: 30_000 });
  await press(browser, 'first-run-sandbox');
  await byTestId(browser, 'worklist').waitForDisplayed({ timeout: 60_000 });
  const orgs = ok(await invoke(browser, 'list_organisations', { request: { includeDisabled: false } }));
  // The organisation that offers the first specialty: every referral below goes there.
  const probe = await searchedReferral(patient('Probe', 'E2E-R0'), { orgIds: orgs.organisations.map((o) => o.id) });
  const offering = probe.options[0]?.organisationId;
  org = orgs.organisations.find((o) => o.id === offering);
  assert.ok(org, 'no sandbox organisation offers the first specialty');
});

test('a referral left searching, whose dates have passed, is searched again, held and booked from its detail', async () => {
  const { id } = await searchedReferral(patient('Arrieta', 'E2E-R1'), { window: dateWindow(-20, -10) });
  await openDetail(id, 'searching');
  const section = byTestId(browser, 'resume-search');
  await section.waitForDisplayed();
  const { start, end } = dateWindow(1, 15);
  await typeDate(browser, 'resume-start', start);
  await typeDate(browser, 'resume-end', end);
  await press(browser, 'resume-search-button');
  await waitForAttribute(byTestId(browser, 'find-results'), 'data-finished', 'true', 60_000);
  const holds = await section.$$('[data-testid="hold-button"]');
  assert.ok(holds.length > 0, 'the search again offered no time');
  await holds[0].click();

  const held = byTestId(browser, 'resume-held');
  await held.waitForDisplayed({ timeout: 30_000 });
  const countdown = held.$('[data-testid="hold-countdown"]');
  assert.ok(Number(await countdown.getAttribute('data-seconds-left')) > 0, 'the hold has no time left');
  await fill(browser, 'book-comment', 'Resumed from the detail.');
  await press(browser, 'book-button');
  await waitForAttribute(byTestId(browser, 'referral-detail'), 'data-status', 'booked', 60_000);
  const actions = await timelineActions();
  assert.ok(actions.some((t) => t.includes('$book')), `no booking in the timeline: ${actions}`);
});

test('a referral left held is booked from its detail with the live countdown', async () => {
  const { id, options } = await searchedReferral(patient('Baptiste', 'E2E-R2'));
  assert.ok(options.length > 0, 'nothing offered');
  ok(await invoke(browser, 'hold_slot', { request: { referralId: id, optionId: options[0].optionId } }));
  await openDetail(id, 'held');
  const held = byTestId(browser, 'resume-held');
  await held.waitForDisplayed();
  const countdown = held.$('[data-testid="hold-countdown"]');
  const first = Number(await countdown.getAttribute('data-seconds-left'));
  assert.ok(first > 0, 'the hold has no time left');
  await countdown.waitUntil(async function () {
    return Number(await this.getAttribute('data-seconds-left')) < first;
  }, { timeout: 5_000, timeoutMsg: 'the countdown does not count down' });
  await press(browser, 'book-button');
  await waitForAttribute(byTestId(browser, 'referral-detail'), 'data-status', 'booked', 60_000);
});

test('a referral flagged needs-attention is re-checked at the organisation and settled with a note', async () => {
  const p = patient('Castellanos', 'E2E-R3');
  const registered = ok(await invoke(browser, 'register_patient',
    { request: { organisationId: org.id, patient: p, coverage: null } }));
  const { id, options } = await searchedReferral(p, {
    patientLinks: [{ organisationId: org.id, patientId: registered.patientId }],
  });
  ok(await invoke(browser, 'hold_slot', { request: { referralId: id, optionId: options[0].optionId } }));
  await openDetail(id, 'held');

  // The organisation applies $book but garbles its answer and every read-back.
  await setFaults({ malformed_rate: 1.0 });
  try {
    await press(browser, 'book-button');
    await waitForAttribute(byTestId(browser, 'referral-detail'), 'data-status', 'needs_attention', 60_000);
  } finally {
    await setFaults({});
  }
  const resolve = byTestId(browser, 'resolve');
  await resolve.waitForDisplayed();
  assert.match(await byTestId(browser, 'resolve-known').getText(), /may or may not have happened/);

  await press(browser, 'recheck-button');
  await waitForAttribute(byTestId(browser, 'recheck-result'), 'data-finding', 'booked', 30_000);
  await screenshot(browser, 'needs-attention');
  assert.equal(await byTestId(browser, 'settle-outcome').getValue(), 'booked_as_found');

  // An empty note is refused in plain words; nothing is lost.
  await press(browser, 'settle-button');
  const refused = byTestId(browser, 'settle-error');
  await refused.waitForDisplayed({ timeout: 15_000 });
  assert.equal(await refused.getAttribute('data-code'), 'invalid_input');
  assert.equal(await byTestId(browser, 'referral-detail').getAttribute('data-status'), 'needs_attention');

  await fill(browser, 'settle-note', 'Read back at the organisation: booked.');
  await press(browser, 'settle-button');
  await waitForAttribute(byTestId(browser, 'referral-detail'), 'data-status', 'booked', 30_000);
  await browser.waitUntil(async () => (await timelineActions()).some((t) => t.includes('settled: booked as found')),
    { timeout: 10_000, timeoutMsg: 'the settlement is not in the timeline' });
  const actions = await timelineActions();
  const settled = actions.find((t) => t.includes('settled: booked as found'));
  assert.match(settled, /Read back at the organisation: booked\./);
  assert.match(settled, /by /, 'the timeline names who settled it');
  assert.ok(actions.some((t) => t.includes('re-check at the organisation')), 'the re-check is not in the timeline');
});
