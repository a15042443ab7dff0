// What an order from the home organisation lacks, as the small form asks for it: one field per
// missing item, its label, what is wrong with a typed value, and the `OrderFill` sent with
// `start_order` (only the missing items are filled; everything else comes from the order).
import type { Gender } from "../../ipc/bindings/Gender";
import type { MissingField as Missing } from "../../ipc/bindings/MissingField";
import type { OrderFill } from "../../ipc/bindings/OrderFill";
import { isoDateFromToday } from "../../lib/time";

/** What the clerk has typed so far; every value a string, blank = not typed. */
export interface FillForm {
  family: string;
  given: string;
  birthDate: string;
  gender: Gender | "";
  mrn: string;
  specialty: string;
  windowFrom: string;
  windowTo: string;
  referrerPhone: string;
  coveragePayor: string;
  coverageSubscriberId: string;
}

/** The form's opening values: the dates default to the wizard's window (tomorrow to +15 days). */
export function emptyFillForm(now: Date = new Date()): FillForm {
  return {
    family: "",
    given: "",
    birthDate: "",
    gender: "",
    mrn: "",
    specialty: "",
    windowFrom: isoDateFromToday(1, now),
    windowTo: isoDateFromToday(15, now),
    referrerPhone: "",
    coveragePayor: "",
    coverageSubscriberId: "",
  };
}

/** How the clinician reads each missing item (in the form and in the row's "still needs"). */
export const MISSING_LABELS: Record<Missing, string> = {
  "patient-name": "Patient's name",
  "birth-date": "Date of birth",
  gender: "Sex",
  mrn: "MRN",
  specialty: "Specialty",
  window: "Dates to search",
  "referrer-phone": "Call-back number",
  "coverage-payor": "Insurer",
  "coverage-subscriber-id": "Member ID",
};

export const GENDER_CHOICES: { value: Gender; label: string }[] = [
  { value: "female", label: "Female" },
  { value: "male", label: "Male" },
  { value: "other", label: "Other" },
  { value: "unknown", label: "Unknown" },
];

/** One sentence per missing item that is still blank or wrong, keyed by the item. */
export function fillProblems(missing: readonly Missing[], f: FillForm): Partial<Record<Missing, string>> {
  const problems: Partial<Record<Missing, string>> = {};
  const blank = (v: string) => v.trim() === "";
  for (const m of missing) {
    const problem = problemFor(m, f, blank);
    if (problem) problems[m] = problem;
  }
  return problems;
}

function problemFor(m: Missing, f: FillForm, blank: (v: string) => boolean): string | null {
  switch (m) {
    case "patient-name":
      return blank(f.family) ? "Enter the patient's family name." : null;
    case "birth-date":
      if (blank(f.birthDate)) return "Enter the date of birth.";
      return f.birthDate > isoDateFromToday(0) ? "The date of birth cannot be in the future." : null;
    case "gender":
      return f.gender === "" ? "Choose the patient's sex." : null;
    case "mrn":
      return blank(f.mrn) ? "Enter the MRN." : null;
    case "specialty":
      return blank(f.specialty) ? "Choose the specialty." : null;
    case "window":
      if (blank(f.windowFrom) || blank(f.windowTo)) return "Enter the earliest and the latest date.";
      return f.windowFrom > f.windowTo ? "The earliest date must come before the latest date." : null;
    case "referrer-phone":
      return blank(f.referrerPhone) ? "Enter the call-back number." : null;
    case "coverage-payor":
      return blank(f.coveragePayor) ? "Enter the insurer." : null;
    case "coverage-subscriber-id":
      return blank(f.coverageSubscriberId) ? "Enter the member ID." : null;
  }
}

/** The fill for `start_order`: the typed value for each missing item, nothing for the rest.
 * The organisations to ask are the order's own (its performer, else every enabled one). */
export function toFill(missing: readonly Missing[], f: FillForm): OrderFill {
  const fill: OrderFill = { organisationIds: [] };
  const text = (v: string) => (v.trim() ? v.trim() : undefined);
  for (const m of missing) Object.assign(fill, fillFor(m, f, text));
  // Absent, not undefined: the request carries only what the clerk typed.
  return Object.fromEntries(Object.entries(fill).filter(([, v]) => v !== undefined)) as OrderFill;
}

function fillFor(m: Missing, f: FillForm, text: (v: string) => string | undefined): Partial<OrderFill> {
  switch (m) {
    case "patient-name":
      return { family: text(f.family), given: text(f.given) };
    case "birth-date":
      return { birthDate: text(f.birthDate) };
    case "gender":
      return { gender: f.gender === "" ? undefined : f.gender };
    case "mrn":
      return { mrn: text(f.mrn) };
    case "specialty":
      return { specialty: text(f.specialty) };
    case "window":
      return { window: { from: f.windowFrom, to: f.windowTo } };
    case "referrer-phone":
      return { referrerPhone: text(f.referrerPhone) };
    case "coverage-payor":
      return { coveragePayor: text(f.coveragePayor) };
    case "coverage-subscriber-id":
      return { coverageSubscriberId: text(f.coverageSubscriberId) };
  }
}

/** The fill for an order that lacks nothing. */
export const NO_FILL: OrderFill = { organisationIds: [] };
