// The service step's checks, field by field, so each message stands beside its field; and where a
// field the backend refused (`invalid_input` with `field`) is on this step.
import { referrerProblems } from "../../lib/referrer";
import type { Draft } from "./draft";

export type ServiceField =
  | "specialty"
  | "reason"
  | "reasonCode"
  | "dueBy"
  | "referrerName"
  | "referrerNpi"
  | "referrerPhone"
  | "note";

export type FieldProblems = Partial<Record<ServiceField, string>>;

/** The longest note the backend accepts. */
export const NOTE_MAX = 1000;

interface Options {
  /** Also name what is missing (after the user pressed Next); otherwise only what is wrong. */
  strict: boolean;
  /** Today on the user's calendar, `YYYY-MM-DD`. */
  today: string;
}

export function serviceFieldProblems(d: Draft, { strict, today }: Options): FieldProblems {
  const out: FieldProblems = {};
  if (strict && !d.specialty && !d.visitType) out.specialty = "Specialty or visit type: choose at least one.";
  if (d.reasonQuery.trim() && !d.reasonCode) {
    out.reasonCode = "Reason: choose a reason from the list, or clear the search to describe it in words only.";
  }
  if (strict && !d.reasonCode && !d.reason.trim() && !out.reasonCode) {
    out.reason = "Reason for referral: choose a reason from the list or describe it.";
  }
  if (d.dueBy && d.dueBy < today) out.dueBy = "Due by: this date has passed. Choose today or a later date.";
  const referrer = referrerProblems(d.referrer);
  if (referrer.name) out.referrerName = referrer.name;
  if (referrer.npi) out.referrerNpi = referrer.npi;
  if (referrer.phone) out.referrerPhone = referrer.phone;
  if (d.note.length > NOTE_MAX) {
    out.note = `Note: ${d.note.length} characters; shorten it to ${NOTE_MAX} or fewer.`;
  }
  return out;
}

// Field names as the backend spells them, lower-cased without dots or underscores.
const SERVER_FIELDS: Record<string, ServiceField> = {
  specialty: "specialty",
  visittype: "specialty",
  reason: "reason",
  reasoncode: "reasonCode",
  dueby: "dueBy",
  referrer: "referrerName",
  referrername: "referrerName",
  referrernpi: "referrerNpi",
  referrerphone: "referrerPhone",
  note: "note",
};

/**
 * The service-step field a backend `invalid_input` names (`referrerNpi`, `service.dueBy`, …),
 * or null when the field is not on this step.
 */
export function serviceFieldOf(field: string | null): ServiceField | null {
  if (!field) return null;
  const path = field
    .toLowerCase()
    .replace(/^(request\.)?service\./, "")
    .replace(/[._]/g, "");
  return SERVER_FIELDS[path] ?? null;
}
