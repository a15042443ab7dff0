// The week view's layout, kept pure so it is tested without rendering: seven local days from a
// start date, one row per organisation (or per practitioner at an organisation), each cell the
// times offered that day, and the earliest time of every row.
import type { SlotOption } from "../../ipc/bindings/SlotOption";
import { byStart } from "./findState";

export type RowsBy = "organisation" | "practitioner";

export interface WeekRow {
  key: string;
  label: string;
  /** One entry per day, each earliest first. */
  cells: SlotOption[][];
  /** The row's earliest option over every day searched, not only this week. */
  earliestId: string | null;
}

export interface Week {
  /** Local `YYYY-MM-DD` of each day shown. */
  days: string[];
  rows: WeekRow[];
  /** Whether any option starts before / after the days shown. */
  earlier: boolean;
  later: boolean;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The local `YYYY-MM-DD` day `iso` falls on. */
export function localDay(iso: string): string {
  return dayKey(new Date(iso));
}

function dayKey(d: Date): string {
  const mm = String(d.getMonth() + 1).padStart(2, "0");
  const dd = String(d.getDate()).padStart(2, "0");
  return `${d.getFullYear()}-${mm}-${dd}`;
}

/** The local day `n` days after `day` (a `YYYY-MM-DD`); calendar days, so daylight saving is no matter. */
export function addDays(day: string, n: number): string {
  const m = DAY.exec(day);
  if (!m) return day;
  return dayKey(new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + n));
}

/** The first day of the first week: the window's start when known, else the earliest option's day. */
export function firstDay(windowStart: string | undefined, options: readonly SlotOption[]): string {
  if (windowStart && DAY.test(windowStart)) return windowStart;
  const first = byStart(options)[0];
  return first ? localDay(first.start) : dayKey(new Date());
}

function rowOf(o: SlotOption, by: RowsBy): { key: string; label: string } {
  if (by === "organisation") return { key: o.organisationId, label: o.organisationName };
  const who = o.practitioner ?? "Any practitioner";
  return { key: `${o.organisationId}/${who}`, label: `${who} · ${o.organisationName}` };
}

/**
 * Lays `options` out over the seven days from `start`. `organisations` (in the order they were
 * asked) gives a row to an organisation with nothing this week too, so "none" reads as an answer.
 */
export function buildWeek(
  options: readonly SlotOption[],
  by: RowsBy,
  start: string,
  organisations: readonly { id: string; name: string }[] = [],
): Week {
  const days = Array.from({ length: 7 }, (_, i) => addDays(start, i));
  const rows = new Map<string, WeekRow>();
  if (by === "organisation") {
    for (const o of organisations) rows.set(o.id, { key: o.id, label: o.name, cells: [], earliestId: null });
  }
  let earlier = false;
  let later = false;
  for (const o of byStart(options)) {
    const { key, label } = rowOf(o, by);
    let row = rows.get(key);
    if (!row) {
      row = { key, label, cells: [], earliestId: null };
      rows.set(key, row);
    }
    row.earliestId ??= o.optionId;
    const day = localDay(o.start);
    const at = days.indexOf(day);
    if (at >= 0) {
      row.cells[at] ??= [];
      row.cells[at].push(o);
    } else if (day < start) earlier = true;
    else later = true;
  }
  const laidOut = [...rows.values()].map((r) => ({ ...r, cells: days.map((_, i) => r.cells[i] ?? []) }));
  return { days, rows: laidOut, earlier, later };
}
