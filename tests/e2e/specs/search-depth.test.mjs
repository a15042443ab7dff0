// Search depth on the real window against the sandbox organisations: the practitioner pick-list
// comes from the organisation's own directory and narrows the results to that practitioner
// there; "more times" adds later times and repeats none.
import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import { byTestId, debugScreenshot, fill, invoke, launchApp, press, typeDate, waitForAttribute } from '../lib/app.mjs';

let app;
let browser;
let orgIds = [];
let chosen;
let org;

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

/** Each shown time as {id, org, practitioner, start}. */
async function shownTimes() {
  const rows = await browser.$$('[data-testid="result-option"]');
  const out = [];
  for (const row of rows) {
    out.push({
      id: await row.getAttribute('data-option-id'),
      org: await row.getAttribute('data-organisation-id'),
      practitioner: await row.getAttribute('data-practitioner-id'),
      start: await row.getAttribute('data-start'),
    });
  }
  return out;
}

test('the sandbox organisations are set up', async () => {
  await byTestId(browser, 'first-run').waitForDisplayed({ timeout: 30_000 });
  await press(browser, 'first-run-sandbox');
  await byTestId(browser, 'worklist').waitForDisplayed({ timeout: 60_000 });
  const listed = await invoke(browser, 'list_organisations', { request: { includeDisabled: false } });
  assert.equal(listed.ok, true, listed.error);
  // The dermatology group lists several practitioners (the imaging centre books rooms); ask it
  // beside one other organisation.
  const all = listed.value.organisations.map((o) => o.id);
  const derm = all.find((id) => id.includes('derm')) ?? all[0];
  orgIds = [derm, ...all.filter((id) => id !== derm).slice(0, 1)];
  assert.equal(orgIds.length, 2);
});

test('a practitioner chosen from the directory narrows the results to them at that organisation', async () => {
  org = orgIds[0];
  const directory = await invoke(browser, 'list_directory', { request: { organisationId: org } });
  assert.equal(directory.ok, true, directory.error);
  assert.ok(directory.value.practitioners.length > 1, 'the directory lists several practitioners');
  chosen = directory.value.practitioners.find((p) => p.specialties.length > 0);
  assert.ok(chosen, 'a practitioner with a specialty');

  await press(browser, 'new-referral');
  await waitForAttribute(byTestId(browser, 'wizard'), 'data-step', 'patient');
  await fill(browser, 'patient-family', 'Varga');
  await fill(browser, 'patient-given', 'Ilona');
  await typeDate(browser, 'patient-birth-date', '1975-06-14');
  await fill(browser, 'patient-mrn', 'E2E-DEPTH-1');
  await press(browser, 'wizard-next');
  await waitForAttribute(byTestId(browser, 'wizard'), 'data-step', 'service');
  await byTestId(browser, 'service-specialty').selectByVisibleText(chosen.specialties[0]);
  await fill(browser, 'service-reason', 'Review of a changing mole.');
  await press(browser, 'wizard-next');
  await waitForAttribute(byTestId(browser, 'wizard'), 'data-step', 'organisations');
  for (const id of orgIds) await press(browser, `org-checkbox-${id}`);
  await press(browser, 'wizard-next');
  await waitForAttribute(byTestId(browser, 'wizard'), 'data-step', 'dates');

  const value = `${org}|${chosen.id}`;
  const pick = byTestId(browser, 'filter-practitioner');
  await browser.$(`[data-testid="filter-practitioner"] option[value="${value}"]`).waitForExist({ timeout: 30_000 });
  await pick.selectByAttribute('value', value);
  await press(browser, 'wizard-next');
  await waitForAttribute(byTestId(browser, 'find-results'), 'data-finished', 'true', 60_000);

  const times = await shownTimes();
  assert.ok(times.length > 0, 'the practitioner offers times');
  for (const t of times) {
    assert.equal(t.org, org, 'only the practitioner\'s organisation');
    assert.equal(t.practitioner, chosen.id, 'only the chosen practitioner');
  }
});

test('"more times" adds later times without repeating any', async () => {
  const before = await shownTimes();
  const last = Math.max(...before.map((t) => Date.parse(t.start)));
  await press(browser, 'more-times');
  await browser.waitUntil(async () => (await browser.$$('[data-testid="result-option"]')).length > before.length, {
    timeout: 60_000,
    timeoutMsg: 'no more times were added',
  });
  await byTestId(browser, 'more-times').waitForClickable({ timeout: 60_000 });
  const now = await shownTimes();
  const keys = now.map((t) => `${t.org}|${t.start}|${t.practitioner}`);
  assert.equal(new Set(keys).size, keys.length, 'a time is shown twice');
  const earlier = new Set(before.map((t) => t.id));
  assert.ok(before.every((t) => now.some((n) => n.id === t.id)), 'the earlier times are still shown');
  const added = now.filter((t) => !earlier.has(t.id));
  assert.ok(added.length > 0);
  assert.ok(added.every((t) => Date.parse(t.start) > last), 'every added time is later than the last shown');
  assert.ok(added.every((t) => t.practitioner === chosen.id), 'the practitioner filter still applies');
});
