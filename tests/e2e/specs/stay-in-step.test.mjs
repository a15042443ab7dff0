// Issue 10, "stay in step", on the real window: a referral booked in the app is cancelled at the
// organisation behind the desk's back (by its own staff, through the sandbox's loopback admin
// endpoint, not the desk's client); within one sync interval (3 s here, `--sync-interval`) the
// worklist row turns "Cancelled by organisation" and the change is announced in the window
// beside the desktop notification (which Xvfb cannot show).
import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import { byTestId, dateWindow, debugScreenshot, invoke, launchApp, press, waitForAttribute } from '../lib/app.mjs';

const INTERVAL_SECS = 3;
let browser;

before(async () => {
  ({ browser } = await launchApp({ args: [`--sync-interval=${INTERVAL_SECS}`] }));
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

/** Creates, searches, holds and books a referral through the app's own commands. */
async function bookedReferral() {
  const codes = ok(await invoke(browser, 'code_tables', { request: {} }));
  const orgs = ok(await invoke(browser, 'list_organisations', { request: { includeDisabled: false } }));
  const created = ok(await invoke(browser, 'create_referral', {
    request: {
      patient: { family: 'Okafor', given: ['Ines'], birthDate: '1979-10-04', gender: 'female', mrn: 'E2E-S1', phone: null, email: null },
      coverage: null, patientLinks: [],
      service: { specialty: codes.specialties[0], visitType: null, priority: codes.priorities[0], reason: 'Stay in step' },
      organisationIds: orgs.organisations.map((o) => o.id), window: dateWindow(),
    },
  }));
  const found = ok(await invoke(browser, 'find_slots',
    { request: { referralId: created.id, organisationIds: [], window: null } }, ['onProgress']));
  const option = found.options[0];
  assert.ok(option, 'the sandbox offered no time');
  ok(await invoke(browser, 'hold_slot', { request: { referralId: created.id, optionId: option.optionId } }));
  const booked = ok(await invoke(browser, 'book_slot', { request: { referralId: created.id, optionId: null, comment: null } }));
  const org = orgs.organisations.find((o) => o.id === option.organisationId);
  return { id: created.id, appointmentId: booked.appointmentId, org };
}

/** The organisation's own staff cancel the appointment (loopback admin endpoint of the sandbox). */
async function cancelAtOrganisation(org, appointmentId) {
  const base = new URL(org.fhirBase);
  const name = base.pathname.split('/').filter(Boolean)[0];
  const res = await fetch(`${base.origin}/admin/${name}/appointments/${appointmentId}/cancel`, { method: 'POST' });
  assert.equal(res.status, 200, await res.text());
}

test('first run with the sandbox organisations', async () => {
  await byTestId(browser, 'first-run').waitForDisplayed({ timeout: 30_000 });
  await press(browser, 'first-run-sandbox');
  await byTestId(browser, 'worklist').waitForDisplayed({ timeout: 60_000 });
});

test('an appointment cancelled by the organisation turns the row "Cancelled by organisation" within one interval', async () => {
  const { id, appointmentId, org } = await bookedReferral();
  await press(browser, 'nav-appointments');
  await press(browser, 'nav-worklist');
  const row = browser.$(`[data-referral-id="${id}"]`);
  await waitForAttribute(row, 'data-status', 'booked');

  await cancelAtOrganisation(org, appointmentId);
  const cancelledAt = Date.now();
  // One interval, plus the sync itself and the worklist's re-read.
  await waitForAttribute(row, 'data-status', 'cancelled_by_organisation', (INTERVAL_SECS + 10) * 1000);
  assert.ok(Date.now() - cancelledAt < (INTERVAL_SECS + 10) * 1000);
  assert.equal(await row.$('[data-testid="status-badge"]').getText(), 'Cancelled by organisation');

  const toast = byTestId(browser, 'sync-toast');
  await toast.waitForDisplayed({ timeout: 5_000 });
  assert.equal(await toast.getAttribute('data-kind'), 'cancelled_by_organisation');
  assert.match(await toast.getText(), /cancelled the appointment of/);
  assert.match(await byTestId(browser, 'sync-status').getText(), /^Last checked with the organisations /);

  const detail = ok(await invoke(browser, 'get_referral', { request: { id } }));
  assert.equal(detail.summary.status, 'cancelled_by_organisation');
});
