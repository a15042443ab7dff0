// Dates as clerks type them: the desk's locale order (or ISO) with any separator, two-digit years
// resolved for the kind of date, impossible dates refused with a sentence. The result is always
// an ISO `YYYY-MM-DD` calendar date; nothing here depends on the time zone.

/** The order day, month and year are written in. */
export type DateOrder = "mdy" | "dmy" | "ymd";

/**
 * What the date is for, which decides how a two-digit year is read and which dates are refused:
 * a birth date is never in the future and `80` means 1980; a booking date is never long past and
 * `27` means 2027.
 */
export type DateKind = "birth" | "any";

export type ParsedDate = { ok: true; iso: string } | { ok: false; problem: string };

let cachedOrder: DateOrder | undefined;

/** The order the desk's locale writes dates in (from `Intl`), e.g. `mdy` for en-US. */
export function localeDateOrder(locale?: string): DateOrder {
  if (locale === undefined && cachedOrder) return cachedOrder;
  const parts = new Intl.DateTimeFormat(locale, { day: "numeric", month: "numeric", year: "numeric" })
    .formatToParts(new Date(2001, 10, 22))
    .map((p) => p.type)
    .filter((t) => t === "day" || t === "month" || t === "year");
  const order: DateOrder = parts[0] === "year" ? "ymd" : parts[0] === "day" ? "dmy" : "mdy";
  if (locale === undefined) cachedOrder = order;
  return order;
}

/** How the locale order is shown to the user, e.g. `MM/DD/YYYY`. */
export function orderPattern(order: DateOrder): string {
  return { mdy: "MM/DD/YYYY", dmy: "DD/MM/YYYY", ymd: "YYYY-MM-DD" }[order];
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** An ISO date written back in the locale order, as the field shows it. */
export function formatTyped(iso: string, order: DateOrder): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return "";
  const [, y, mo, d] = m;
  if (order === "ymd") return `${y}-${mo}-${d}`;
  return order === "mdy" ? `${mo}/${d}/${y}` : `${d}/${mo}/${y}`;
}

/** Splits typed text into numeric fields: separators are anything not a digit; 8 digits alone are read as a compact date. */
function fields(text: string): string[] | null {
  const groups = text.match(/\d+/g) ?? [];
  if (text.replace(/[\d\s./\-,]/g, "") !== "") return null;
  if (groups.length === 1 && groups[0].length === 8) {
    const g = groups[0];
    // Eight digits alone: year first when they read as one (19800402), else the locale order.
    const yearFirst = /^(19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$/.test(g);
    return yearFirst ? [g.slice(0, 4), g.slice(4, 6), g.slice(6)] : [g.slice(0, 2), g.slice(2, 4), g.slice(4)];
  }
  return groups.length === 3 ? groups : null;
}

function fullYear(digits: string, kind: DateKind, today: Date): number | null {
  const n = Number(digits);
  if (digits.length === 4) return n;
  if (digits.length !== 2) return null;
  const century = Math.floor(today.getFullYear() / 100) * 100;
  if (kind === "any") return century + n;
  // A birth date: the most recent year ending in these digits that is not in the future.
  return century + n > today.getFullYear() ? century - 100 + n : century + n;
}

const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

/** An ISO date in words for reading back: `2 April 1980` (never ambiguous). */
export function dateInWords(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return "";
  return `${Number(m[3])} ${MONTHS[Number(m[2]) - 1]} ${m[1]}`;
}

/**
 * Reads a typed date. ISO `YYYY-MM-DD` is always accepted (a four-digit first field means year
 * first); otherwise the fields are read in `order`.
 */
export function parseTypedDate(text: string, kind: DateKind, order: DateOrder, today: Date = new Date()): ParsedDate {
  const trimmed = text.trim();
  if (trimmed === "") return { ok: false, problem: "Enter a date." };
  const f = fields(trimmed);
  if (!f) return { ok: false, problem: `Type the date as ${orderPattern(order)}.` };
  const yearFirst = f[0].length === 4 || order === "ymd";
  const [ys, ms, ds] = yearFirst ? f : order === "mdy" ? [f[2], f[0], f[1]] : [f[2], f[1], f[0]];
  const year = fullYear(ys, kind, today);
  if (year === null) return { ok: false, problem: "Type the year with four digits (or two)." };
  const month = Number(ms);
  const day = Number(ds);
  if (month < 1 || month > 12) return { ok: false, problem: `There is no month ${month}.` };
  const daysInMonth = new Date(year, month, 0).getDate();
  if (day < 1 || day > daysInMonth) {
    return { ok: false, problem: `${MONTHS[month - 1]} ${year} has no day ${day}.` };
  }
  const todayIso = `${pad(today.getFullYear(), 4)}-${pad(today.getMonth() + 1)}-${pad(today.getDate())}`;
  let iso = `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
  // A two-digit birth year that would put the birth in the future means the century before.
  if (kind === "birth" && ys.length === 2 && iso > todayIso) iso = `${pad(year - 100, 4)}${iso.slice(4)}`;
  if (kind === "birth") {
    if (iso > todayIso) return { ok: false, problem: "A date of birth cannot be in the future." };
    if (year < today.getFullYear() - 130) return { ok: false, problem: `${year} is too long ago for a date of birth.` };
  } else if (year < 1900 || year > 2200) {
    return { ok: false, problem: `${year} is not a year this field takes.` };
  }
  return { ok: true, iso };
}
