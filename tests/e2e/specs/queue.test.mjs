// Issue 11, the queue from the home organisation, on the real window: the first run with the
// sandbox organisations sets the sandbox home too, and the worklist's queue shows its seeded
// referral orders (the IG's three provider scenarios by their patients' names); a clerk works the
// discharge follow-up order, which opens the referral already filled in from the order (the
// patient is never typed), searches, holds and books it; the order's row then shows it done.
import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import {
  byTestId, debugScreenshot, fill, invoke, launchApp, press, screenshot, typeDate, waitForAttribute,
} from '../lib/app.mjs';

/** How each seeded scenario order reads in the queue's "What" column and its reason line. */
const SCENARIOS = {
  discharge: /family practice|follow-up encounter/i,
  dermatology: /dermatology/i,
  mri: /magnetic resonance|\bMRI\b/i,
};

/** The words of a name as the queue shows it ("Quinn, Jonah"), in any order. */
const nameParts = (name) => name.split(/[,\s]+/).filter(Boolean);

let browser;
/** The scenario orders as the desk stored them: {discharge, dermatology, mri} → QueueItem. */
let orders;

before(async () => {
  ({ browser } = await launchApp());
});

afterEach(async (t) => {
  await debugScreenshot(browser, `queue ${t.name}`);
});

after(async () => {
  await browser?.deleteSession();
});

function ok(result) {
  assert.equal(result.ok, true, result.error);
  return result.value;
}

const rowOf = (orderId) => browser.$(`[data-testid="queue-row"][data-order-id="${orderId}"]`);

/** The order's row, drawing more rows of a long queue until it is there. */
async function revealRow(orderId) {
  const row = rowOf(orderId);
  while (!(await row.isExisting()) && (await byTestId(browser, 'queue-more').isExisting())) {
    await press(browser, 'queue-more');
  }
  await row.waitForDisplayed({ timeout: 15_000 });
  return row;
}

async function openQueue() {
  await press(browser, 'nav-worklist');
  await press(browser, 'worklist-tab-queue');
  await byTestId(browser, 'queue').waitForDisplayed({ timeout: 15_000 });
}

/** Fills whatever the order lacks with the first choice or a plain value; never the patient. */
async function fillMissing(form) {
  const asked = [];
  for (const field of await form.$$('[data-testid^="fill-"]')) {
    const id = await field.getAttribute('data-testid');
    if (!id || /-(problem|read|calendar|picker)$/.test(id)) continue;
    asked.push(id);
    const tag = await field.getTagName();
    if (tag === 'select') {
      const values = await field.$$('option');
      const value = values.length > 1 ? await values[1].getAttribute('value') : null;
      if (value) await field.selectByAttribute('value', value);
    } else if (id === 'fill-birth-date') {
      await typeDate(browser, id, '1960-01-15');
    } else if (!id.startsWith('fill-window')) {
      await fill(browser, id, id === 'fill-referrer-phone' ? '555 010 2030' : 'E2E value');
    }
  }
  return asked;
}

test('first run with the sandbox shows the home organisation\'s seeded queue', async () => {
  await byTestId(browser, 'first-run').waitForDisplayed({ timeout: 30_000 });
  await press(browser, 'first-run-sandbox');
  await byTestId(browser, 'worklist').waitForDisplayed({ timeout: 60_000 });
  const tab = byTestId(browser, 'worklist-tab-queue');
  await tab.waitForDisplayed({ timeout: 30_000 });
  await tab.click();
  // The first look at the queue asks the home organisation for its orders.
  await browser.waitUntil(async () => (await browser.$$('[data-testid="queue-row"]')).length >= 3, {
    timeout: 60_000,
    timeoutMsg: 'the queue never showed the seeded orders',
  });
  const list = ok(await invoke(browser, 'list_queue', { request: {} }));
  orders = {};
  for (const [name, what] of Object.entries(SCENARIOS)) {
    orders[name] = list.items.find((i) => what.test(`${i.what}; ${i.reason ?? ''}`) && i.view === 'unclaimed');
    assert.ok(orders[name], `no ${name} order in the queue: ${list.items.map((i) => i.reason).join(' | ')}`);
  }
  for (const item of Object.values(orders)) {
    const row = await revealRow(item.orderId);
    assert.equal(await row.$('[data-testid="queue-patient"]').getText(), item.patientName);
    assert.equal(await row.getAttribute('data-view'), 'unclaimed');
  }
  await screenshot(browser, 'queue');
});

test('a clerk works the discharge follow-up order and books it without typing the patient', async () => {
  const order = orders.discharge;
  await (await revealRow(order.orderId)).$('[data-testid="queue-work"]').click();
  // Only what the order lacks is asked (if anything); the patient comes from the order.
  const form = byTestId(browser, 'work-order-form');
  if (await form.waitForDisplayed({ timeout: 3_000 }).catch(() => false)) {
    const asked = await fillMissing(form);
    assert.ok(!asked.includes('fill-family'), 'the form asked for the patient\'s name');
    await press(browser, 'work-order-start');
  }
  const detail = byTestId(browser, 'referral-detail');
  await detail.waitForDisplayed({ timeout: 30_000 });
  const title = await browser.$('#detail-title').getText();
  for (const part of nameParts(order.patientName)) {
    assert.ok(title.includes(part), `the referral is not for ${order.patientName}: ${title}`);
  }

  await press(browser, 'resume-search-button');
  await waitForAttribute(byTestId(browser, 'find-results'), 'data-finished', 'true', 60_000);
  const holds = await browser.$$('[data-testid="hold-button"]');
  assert.ok(holds.length > 0, 'no organisation offered a time for the discharge follow-up');
  await holds[0].click();
  await byTestId(browser, 'resume-held').waitForDisplayed({ timeout: 30_000 });
  await press(browser, 'book-button');
  await waitForAttribute(detail, 'data-status', 'booked', 60_000);
});

test('the order\'s row then shows it done', async () => {
  const order = orders.discharge;
  await openQueue();
  // Only the done orders: the row is among the first drawn.
  await press(browser, 'queue-chip-done');
  const row = rowOf(order.orderId);
  // The outcome is written back to the home after booking; Refresh reads the queue again.
  await browser.waitUntil(async () => {
    if ((await row.isExisting()) && (await row.getAttribute('data-view')) === 'done') return true;
    if (!(await byTestId(browser, 'queue-refresh').isEnabled())) return false;
    await press(browser, 'queue-refresh');
    return false;
  }, { timeout: 60_000, interval: 3_000, timeoutMsg: 'the booked order never showed as done' });
  const state = await row.$('[data-testid="queue-state"]').getText();
  assert.match(state, /^Done/);
  assert.match(state, /booked/i);
  const others = ok(await invoke(browser, 'list_queue', { request: { view: 'unclaimed' } }));
  assert.ok(others.items.some((i) => i.orderId === orders.dermatology.orderId), 'the other orders left the queue');
});
