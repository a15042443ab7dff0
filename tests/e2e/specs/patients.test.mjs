// Patients and coverage on the real window against the sandbox organisations: `$match` lists two
// candidates of different grades and the user chooses one; a coverage the organisation refuses
// while booking is explained in its own words, and the booking completes when the user goes on
// without it. Dates are typed key by key (typeDate).
import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import { byTestId, debugScreenshot, fill, invoke, launchApp, press, typeDate, waitForAttribute } from '../lib/app.mjs';

const PROBE = { family: 'Quillfeather', given: 'Adaeze', birthDate: '1980-04-02', mrn: 'E2E-PM-1' };
const REASON = 'We do not accept this insurer';

let app;
let browser;
let org;

before(async () => {
  app = await launchApp();
  browser = app.browser;
  await byTestId(browser, 'first-run').waitForDisplayed({ timeout: 30_000 });
  await press(browser, 'first-run-sandbox');
  await byTestId(browser, 'worklist').waitForDisplayed({ timeout: 60_000 });
  const orgs = await invoke(browser, 'list_organisations', { request: { includeDisabled: false } });
  assert.equal(orgs.ok, true, orgs.error);
  // The dermatology group: the specialty the wizard picks below is one it offers.
  const all = orgs.value.organisations;
  org = all.find((o) => o.id.includes('derm')) ?? all[0];
});

afterEach(async (t) => {
  await debugScreenshot(browser, t.name);
});

after(async () => {
  await browser?.deleteSession();
});

/** Registers a patient at the organisation through the app's own command (seed data). */
async function seed(given, mrn) {
  const patient = {
    family: PROBE.family, given: [given], birthDate: PROBE.birthDate, gender: 'female', mrn, phone: null, email: null,
  };
  const r = await invoke(browser, 'register_patient', { request: { organisationId: org.id, patient, coverage: null } });
  assert.equal(r.ok, true, r.error);
  return r.value.patientId;
}

/** Sets the organisation's fault knobs on the sandbox's loopback admin endpoint. */
async function setFaults(faults) {
  // The sandbox names the organisation by its base path (`/<name>/fhir`), not the desk's id.
  const url = new URL(org.fhirBase);
  const name = url.pathname.split('/').filter(Boolean)[0];
  url.pathname = `/admin/${name}/faults`;
  const res = await fetch(url, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(faults) });
  assert.equal(res.status, 200, await res.text());
}

async function enterPatient(p) {
  await press(browser, 'new-referral');
  await waitForAttribute(byTestId(browser, 'wizard'), 'data-step', 'patient');
  await fill(browser, 'patient-family', p.family);
  await fill(browser, 'patient-given', p.given);
  await typeDate(browser, 'patient-birth-date', p.birthDate);
  await fill(browser, 'patient-mrn', p.mrn);
}

async function toResults() {
  await press(browser, 'wizard-next');
  await waitForAttribute(byTestId(browser, 'wizard'), 'data-step', 'service');
  await byTestId(browser, 'service-specialty').selectByAttribute('value', '394582007'); // dermatology
  await fill(browser, 'service-reason', 'Changing naevus on the left forearm.');
  await press(browser, 'wizard-next');
  await waitForAttribute(byTestId(browser, 'wizard'), 'data-step', 'organisations');
  await press(browser, `org-checkbox-${org.id}`);
  await press(browser, 'wizard-next');
  await waitForAttribute(byTestId(browser, 'wizard'), 'data-step', 'dates');
  await press(browser, 'wizard-next');
  await waitForAttribute(byTestId(browser, 'find-results'), 'data-finished', 'true', 60_000);
}

test('$match lists two candidates of different grades and the user chooses one', async () => {
  const certain = await seed(PROBE.given, PROBE.mrn);
  const possible = await seed('Ada', 'E2E-PM-OTHER');
  await enterPatient(PROBE);
  await byTestId(browser, 'patient-search-org').selectByAttribute('value', org.id);
  await press(browser, 'patient-match-button');
  await browser.waitUntil(async () => (await browser.$$('[data-testid="patient-match"]')).length === 2, {
    timeout: 30_000, timeoutMsg: 'the two candidates were not listed',
  });
  const rows = await browser.$$('[data-testid="patient-match"]');
  const listed = [];
  for (const row of rows) {
    listed.push([await row.getAttribute('data-patient-id'), await row.getAttribute('data-grade'),
      await row.$('[data-testid="patient-match-grade"]').getText()]);
  }
  assert.deepEqual(listed.map(([id, grade]) => [id, grade]), [[certain, 'certain'], [possible, 'possible']]);
  assert.match(listed[0][2], /^Certain match/);
  assert.match(listed[1][2], /^Possible match/);

  await (await rows[1].$('button')).click();
  const links = byTestId(browser, 'patient-links');
  await links.waitForDisplayed({ timeout: 10_000 });
  assert.match(await links.getText(), new RegExp(org.name));
  assert.equal(await byTestId(browser, 'patient-given').getValue(), 'Ada', 'the chosen record fills the form');
  await press(browser, 'wizard-back');
  await byTestId(browser, 'worklist').waitForDisplayed({ timeout: 15_000 });
});

test('a coverage the organisation refuses is explained, and the booking completes without it', async () => {
  await setFaults({ refuse_coverage: REASON });
  try {
    await enterPatient({ family: 'Brannigan', given: 'Tess', birthDate: '1972-10-30', mrn: 'E2E-RC-1' });
    await press(browser, 'coverage-toggle');
    await fill(browser, 'coverage-payor', 'Acme Health');
    await fill(browser, 'coverage-subscriber-id', 'ACME-55');
    await toResults();
    await (await browser.$$('[data-testid="hold-button"]'))[0].click();
    await waitForAttribute(byTestId(browser, 'wizard'), 'data-step', 'book');
    await press(browser, 'book-button');
    const banner = byTestId(browser, 'error-banner');
    await banner.waitForDisplayed({ timeout: 30_000 });
    assert.equal(await banner.getAttribute('data-code'), 'coverage_refused');
    assert.match(await banner.getText(), new RegExp(REASON));
    await press(browser, 'coverage-continue');
    const confirmation = byTestId(browser, 'confirmation');
    await confirmation.waitForDisplayed({ timeout: 30_000 });
    assert.ok(await confirmation.getAttribute('data-appointment-id'), 'the confirmation names no appointment');
  } finally {
    await setFaults({});
  }
});
