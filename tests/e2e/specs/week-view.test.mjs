// The week view on the real window against the sandbox organisations: a search at all of them
// for a visit type two of them offer, the results switched to a week, both answering organisations' rows
// carry times, and a
// time held from a cell with the keyboard is booked through the usual book step. The screenshot
// goes to docs/screenshots/week-view.png.
import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import {
  byTestId, dateWindow, debugScreenshot, fill, invoke, launchApp, press, screenshot, typeDate,
  waitForAttribute,
} from '../lib/app.mjs';

const PATIENT = { family: 'Whitcombe', given: 'Tamsin', birthDate: '1979-06-14', mrn: 'E2E-WEEK-1' };

let app;
let browser;
let orgIds = [];
/** The organisations whose rows have times in the first week. */
let withTimes = [];

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

/** Option ids of the time buttons in the row of `orgId` in the week on screen. */
async function timesInRow(orgId) {
  const buttons = await browser.$$(`[data-testid="week-row"][data-row-key="${orgId}"] [data-testid="week-time"]`);
  const ids = [];
  for (const b of buttons) ids.push(await b.getAttribute('data-option-id'));
  return ids;
}

/** The element with keyboard focus, described by the attributes the week grid puts on its stops. */
function focused() {
  return browser.execute(() => {
    const el = document.activeElement;
    return {
      testId: el?.getAttribute('data-testid') ?? null,
      optionId: el?.getAttribute('data-option-id') ?? null,
      inGrid: Boolean(el?.closest('[role="grid"]')),
      rowKey: el?.closest('[data-testid="week-row"]')?.getAttribute('data-row-key') ?? null,
    };
  });
}

test('the sandbox organisations are set up on first run', async () => {
  await byTestId(browser, 'first-run').waitForDisplayed({ timeout: 30_000 });
  await press(browser, 'first-run-sandbox');
  await byTestId(browser, 'worklist').waitForDisplayed({ timeout: 60_000 });
  const listed = await invoke(browser, 'list_organisations', { request: { includeDisabled: false } });
  assert.equal(listed.ok, true, listed.error);
  orgIds = listed.value.organisations.map((o) => o.id);
  assert.ok(orgIds.length >= 2, 'the sandbox offers fewer than two organisations');
});

test('the week view shows two organisations with their times', async () => {
  await press(browser, 'new-referral');
  await waitForAttribute(byTestId(browser, 'wizard'), 'data-step', 'patient');
  await fill(browser, 'patient-family', PATIENT.family);
  await fill(browser, 'patient-given', PATIENT.given);
  await typeDate(browser, 'patient-birth-date', PATIENT.birthDate);
  await fill(browser, 'patient-mrn', PATIENT.mrn);
  await press(browser, 'wizard-next');
  await waitForAttribute(byTestId(browser, 'wizard'), 'data-step', 'service');
  // A visit type both the dermatology group and the family practice offer (no single specialty is
  // seen at two sandbox organisations).
  await byTestId(browser, 'service-visit-type').selectByAttribute('value', 'new-patient');
  await fill(browser, 'service-reason', 'Review of a slow-healing wound on the shin.');
  await press(browser, 'wizard-next');
  await waitForAttribute(byTestId(browser, 'wizard'), 'data-step', 'organisations');
  for (const id of orgIds) await press(browser, `org-checkbox-${id}`);
  await press(browser, 'wizard-next');
  await waitForAttribute(byTestId(browser, 'wizard'), 'data-step', 'dates');
  const window = dateWindow(1, 15);
  await typeDate(browser, 'window-start', window.start);
  await typeDate(browser, 'window-end', window.end);
  await press(browser, 'wizard-next');
  await waitForAttribute(byTestId(browser, 'find-results'), 'data-finished', 'true', 60_000);
  for (const id of orgIds) {
    assert.equal(await byTestId(browser, `find-progress-${id}`).getAttribute('data-state'), 'done', `${id} did not answer`);
  }

  await press(browser, 'results-view-week');
  await byTestId(browser, 'week-grid').waitForDisplayed({ timeout: 15_000 });
  assert.equal(await byTestId(browser, 'week-view').getAttribute('data-start'), window.start);
  assert.equal((await browser.$$('[data-testid="week-day"]')).length, 7);
  await byTestId(browser, 'week-row').waitForExist();
  for (const id of orgIds) {
    assert.ok(await browser.$(`[data-testid="week-row"][data-row-key="${id}"]`).isExisting(), `no row for ${id}`);
    if ((await timesInRow(id)).length > 0) withTimes.push(id);
  }
  assert.ok(withTimes.length >= 2, `only ${withTimes.join(', ') || 'no organisation'} offered times this week`);
  const earliest = await browser.$$('[data-testid="week-time"][data-earliest="true"]');
  assert.equal(earliest.length, withTimes.length, 'each organisation has exactly one time marked earliest');
  for (const e of earliest) assert.match(await e.getText(), /earliest/);
  await byTestId(browser, 'week-view').scrollIntoView();
  await screenshot(browser, 'week-view');
});

test('a time held from a cell with the keyboard is booked and confirmed', async () => {
  // The grid's one tab stop, reached as a keyboard user would: Tab from the toolbar above it.
  const first = await browser.$('[data-testid="week-grid"] [tabindex="0"]');
  const stopId = await first.getAttribute('data-option-id');
  await browser.execute(() => document.querySelector('[data-testid="week-rows-practitioner"]')?.focus());
  for (let i = 0; i < 10 && !(await focused()).inGrid; i++) await browser.keys('Tab');
  let at = await focused();
  assert.ok(at.inGrid, 'Tab never reached the week grid');
  assert.equal(at.optionId, stopId);
  // Down walks the day's times into the second organisation's row; Home and Right then find a
  // day there with a time.
  const target = withTimes[1];
  for (let i = 0; i < 120 && at.rowKey !== target; i++) {
    await browser.keys('ArrowDown');
    at = await focused();
  }
  assert.equal(at.rowKey, target, 'Down never reached the second organisation');
  await browser.keys('Home');
  at = await focused();
  for (let i = 0; i < 7 && at.testId !== 'week-time'; i++) {
    await browser.keys('ArrowRight');
    at = await focused();
  }
  assert.equal(at.testId, 'week-time', "no time in the second organisation's row this week");
  assert.ok((await timesInRow(target)).includes(at.optionId));
  await browser.keys('Enter');
  await waitForAttribute(byTestId(browser, 'wizard'), 'data-step', 'book');
  await press(browser, 'book-button');
  const confirmation = byTestId(browser, 'confirmation');
  await confirmation.waitForDisplayed({ timeout: 30_000 });
  assert.ok(await confirmation.getAttribute('data-appointment-id'), 'the confirmation names no appointment');
});
