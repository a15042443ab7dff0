// The whole referral reaches the organisation, on the real window against the sandbox
// organisations: the desk's referring clinician saved in Settings, a referral with a reason
// chosen from the pick-list by typing, priority urgent and a typed due date, the exact comment
// the organisation will receive shown before booking, the booking, and the referral detail
// showing the content. Every value is typed with real key events.
import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import {
  byTestId, dateWindow, debugScreenshot, fill, launchApp, press, screenshot, typeDate, waitForAttribute,
} from '../lib/app.mjs';

const PATIENT = { family: 'Adeyemi', given: 'Tobi', birthDate: '1979-06-14', mrn: 'E2E-3003' };
const REFERRER = { name: 'Dr. Ada Obi', npi: '1234567893', phone: '555 010 2030' };
const REASON = { code: '9014002', display: 'Psoriasis', words: 'Plaques on both elbows, not settling.' };
const DUE_BY = dateWindow(10, 10).start;

let browser;

before(async () => {
  ({ browser } = await launchApp());
});

afterEach(async (t) => {
  await debugScreenshot(browser, `whole-referral ${t.name}`);
});

after(async () => {
  await browser?.deleteSession();
});

/** Waits until the element's text holds every one of `parts`. */
async function waitForText(el, parts, timeout = 15_000) {
  await el.waitUntil(async function () {
    const text = await this.getText();
    return parts.every((p) => text.includes(p));
  }, { timeout, timeoutMsg: `text never held all of: ${parts.join(' | ')}` });
  return el.getText();
}

test('first run with the sandbox organisations, then the desk saves its referring clinician', async () => {
  await byTestId(browser, 'first-run').waitForDisplayed({ timeout: 30_000 });
  await press(browser, 'first-run-sandbox');
  await byTestId(browser, 'worklist').waitForDisplayed({ timeout: 60_000 });
  await press(browser, 'nav-settings');
  await fill(browser, 'settings-referrer-name', REFERRER.name);
  await fill(browser, 'settings-referrer-npi', REFERRER.npi);
  await fill(browser, 'settings-referrer-phone', REFERRER.phone);
  await fill(browser, 'settings-follow-up-days', '7');
  await press(browser, 'desk-settings-save');
  await byTestId(browser, 'desk-settings-saved').waitForDisplayed({ timeout: 15_000 });
});

test('the service step takes a reason from the pick-list, priority, a typed due date and the referrer', async () => {
  await press(browser, 'nav-worklist');
  await press(browser, 'new-referral');
  await waitForAttribute(byTestId(browser, 'wizard'), 'data-step', 'patient');
  await fill(browser, 'patient-family', PATIENT.family);
  await fill(browser, 'patient-given', PATIENT.given);
  await typeDate(browser, 'patient-birth-date', PATIENT.birthDate);
  await fill(browser, 'patient-mrn', PATIENT.mrn);
  await press(browser, 'wizard-next');
  await waitForAttribute(byTestId(browser, 'wizard'), 'data-step', 'service');

  await byTestId(browser, 'service-specialty').selectByAttribute('value', '394582007');
  // Type part of the name; the list narrows; choose the reason from it.
  await fill(browser, 'service-reason-code', 'psori');
  const option = browser.$(`[data-testid="service-reason-code-option"][data-code="${REASON.code}"]`);
  await option.waitForDisplayed({ timeout: 10_000 });
  const options = () => browser.$$('[data-testid="service-reason-code-option"]');
  await browser.waitUntil(async () => (await options()).length <= 3, { timeout: 10_000, timeoutMsg: 'the list did not narrow' });
  const offered = await options();
  for (const o of offered) assert.match(await o.getText(), /psoriasis/i);
  await option.click();
  await waitForAttribute(byTestId(browser, 'service-reason-code'), 'data-code', REASON.code, 10_000);
  await fill(browser, 'service-reason', REASON.words);
  await byTestId(browser, 'service-priority').selectByAttribute('value', 'urgent');
  await typeDate(browser, 'service-due-by', DUE_BY);
  // The referrer comes from Settings.
  assert.equal(await byTestId(browser, 'service-referrer-name').getValue(), REFERRER.name);
  assert.equal(await byTestId(browser, 'service-referrer-phone').getValue(), REFERRER.phone);
  await fill(browser, 'service-note', 'Interpreter needed (Yoruba).');
  await screenshot(browser, 'service-content');
  await press(browser, 'wizard-next');
  await waitForAttribute(byTestId(browser, 'wizard'), 'data-step', 'organisations');
});

test('before booking, the comment the organisation will receive is shown, with the extra words', async () => {
  // Ask every sandbox organisation; the ones offering dermatology answer with times.
  await browser.$('[data-testid^="org-checkbox-"]').waitForClickable({ timeout: 15_000 });
  for (const box of await browser.$$('[data-testid^="org-checkbox-"]')) await box.click();
  await press(browser, 'wizard-next');
  await waitForAttribute(byTestId(browser, 'wizard'), 'data-step', 'dates');
  await press(browser, 'wizard-next');
  await waitForAttribute(byTestId(browser, 'find-results'), 'data-finished', 'true', 60_000);
  const hold = (await browser.$$('[data-testid="hold-button"]'))[0];
  assert.ok(hold, 'no appointment time was offered');
  await hold.click();
  await waitForAttribute(byTestId(browser, 'wizard'), 'data-step', 'book', 30_000);

  const preview = byTestId(browser, 'book-preview');
  await waitForText(preview, [
    `Reason: ${REASON.display} (${REASON.code}) — ${REASON.words}`,
    'Priority: Urgent',
    `Due by: ${DUE_BY}`,
    `Referred by: ${REFERRER.name}, NPI ${REFERRER.npi}`,
    `Call back: ${REFERRER.phone}`,
    'Note: Interpreter needed (Yoruba).',
  ]);
  await fill(browser, 'book-comment', 'Patient prefers mornings.');
  const text = await waitForText(preview, ['Call back: ', 'Patient prefers mornings.']);
  await waitForAttribute(preview, 'data-current', 'true', 10_000);
  assert.match(text, /Patient prefers mornings\.$/, 'the extra words are not the last line');
  await screenshot(browser, 'book-preview');

  await press(browser, 'book-button');
  const confirmation = byTestId(browser, 'confirmation');
  await confirmation.waitForDisplayed({ timeout: 30_000 });
  await waitForText(confirmation, ['Priority: Urgent', `Call back: ${REFERRER.phone}`]);
});

test('the worklist shows the due date and the referral detail shows the content', async () => {
  await press(browser, 'nav-worklist');
  const row = browser.$(`//tr[@data-testid="worklist-row"][contains(., "${PATIENT.family}")]`);
  await waitForAttribute(row, 'data-status', 'booked');
  assert.equal(await row.getAttribute('data-overdue'), 'false');
  await (await row.$('a')).click();
  await byTestId(browser, 'referral-detail').waitForDisplayed({ timeout: 15_000 });
  await waitForText(byTestId(browser, 'fact-reason'), [REASON.display, REASON.code, REASON.words]);
  assert.match(await byTestId(browser, 'fact-priority').getText(), /Urgent/);
  assert.match(await byTestId(browser, 'fact-due-by').getText(), new RegExp(DUE_BY.slice(0, 4)));
  assert.match(await byTestId(browser, 'fact-referred-by').getText(), new RegExp(`${REFERRER.name}, NPI ${REFERRER.npi}`));
  assert.match(await byTestId(browser, 'fact-call-back').getText(), new RegExp(REFERRER.phone));
  assert.match(await byTestId(browser, 'fact-note').getText(), /Interpreter needed/);
  assert.match(await byTestId(browser, 'fact-comment').getText(), /Patient prefers mornings\./);
});
