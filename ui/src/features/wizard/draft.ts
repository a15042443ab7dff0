// The wizard's form state and its checks, kept pure so they are tested without rendering.
import type { CodeOption } from "../../ipc/bindings/CodeOption";
import type { CodeTables } from "../../ipc/bindings/CodeTables";
import type { CoverageInput } from "../../ipc/bindings/CoverageInput";
import type { CreateReferralRequest } from "../../ipc/bindings/CreateReferralRequest";
import type { Gender } from "../../ipc/bindings/Gender";
import type { PatientDetails } from "../../ipc/bindings/PatientDetails";
import type { PatientLink } from "../../ipc/bindings/PatientLink";
import { EMPTY_REFERRER, type ReferrerForm, toReferrer } from "../../lib/referrer";
import { isoDateFromToday } from "../../lib/time";
import { serviceFieldProblems } from "./serviceChecks";

export interface PatientForm {
  family: string;
  given: string;
  birthDate: string;
  gender: Gender;
  mrn: string;
  phone: string;
}

export interface CoverageForm {
  payor: string;
  subscriberId: string;
  planName: string;
  relationship: string;
}

export interface Draft {
  patient: PatientForm;
  withCoverage: boolean;
  coverage: CoverageForm;
  links: PatientLink[];
  specialty: string;
  visitType: string;
  priority: string;
  reason: string;
  /** The reason chosen from the pick-list, and the text typed into it (kept until it is cleared). */
  reasonCode: CodeOption | null;
  reasonQuery: string;
  /** `YYYY-MM-DD`, or "" for no due date. */
  dueBy: string;
  /** Prefilled from the desk settings; what is here is sent with this referral only. */
  referrer: ReferrerForm;
  note: string;
  organisationIds: string[];
  start: string;
  end: string;
  /** `<organisation id>|<practitioner id>` from the directory, or "" for any. */
  practitioner: string;
  /** `<organisation id>|Location/<id>` from the directory, or "" for any. */
  location: string;
  timeOfDay: "" | "morning" | "afternoon";
}

export function emptyDraft(now: Date = new Date()): Draft {
  return {
    patient: { family: "", given: "", birthDate: "", gender: "unknown", mrn: "", phone: "" },
    withCoverage: false,
    coverage: { payor: "", subscriberId: "", planName: "", relationship: "self" },
    links: [],
    specialty: "",
    visitType: "",
    priority: "routine",
    reason: "",
    reasonCode: null,
    reasonQuery: "",
    dueBy: "",
    referrer: EMPTY_REFERRER,
    note: "",
    organisationIds: [],
    start: isoDateFromToday(1, now),
    end: isoDateFromToday(15, now),
    practitioner: "",
    location: "",
    timeOfDay: "",
  };
}

/** The patient's relationship to the subscriber (policyholder-relationship codes). */
export const RELATIONSHIPS = [
  { value: "self", label: "Self" },
  { value: "spouse", label: "Spouse" },
  { value: "child", label: "Child" },
  { value: "other", label: "Other" },
];

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Problems with the patient step, as sentences naming the field. */
export function patientProblems(d: Draft): string[] {
  const p = d.patient;
  const out: string[] = [];
  if (!p.family.trim()) out.push("Family name: enter the patient’s family name.");
  if (!p.given.trim()) out.push("Given names: enter at least one given name.");
  if (!DATE.test(p.birthDate)) out.push("Date of birth: enter the date of birth.");
  if (!p.mrn.trim()) out.push("MRN: enter the patient’s medical record number.");
  if (d.withCoverage) {
    if (!d.coverage.payor.trim()) out.push("Insurer: enter the insurer’s name, or untick “Add coverage”.");
    if (!d.coverage.subscriberId.trim()) out.push("Subscriber ID: enter the member or subscriber ID.");
  }
  return out;
}

export function serviceProblems(d: Draft, now: Date = new Date()): string[] {
  return Object.values(serviceFieldProblems(d, { strict: true, today: isoDateFromToday(0, now) }));
}

export function organisationProblems(d: Draft): string[] {
  return d.organisationIds.length === 0 ? ["Organisations: choose at least one organisation to ask."] : [];
}

export function windowProblems(d: Draft): string[] {
  if (!DATE.test(d.start) || !DATE.test(d.end)) return ["Dates: enter both the earliest and the latest date."];
  if (d.end < d.start) return ["Dates: the latest date is before the earliest date."];
  return [];
}

export function toPatientDetails(p: PatientForm): PatientDetails {
  return {
    family: p.family.trim(),
    given: p.given.trim().split(/\s+/).filter(Boolean),
    birthDate: p.birthDate,
    gender: p.gender,
    mrn: p.mrn.trim(),
    phone: p.phone.trim() || null,
    email: null,
  };
}

export function toCoverage(d: Draft): CoverageInput | null {
  if (!d.withCoverage) return null;
  return {
    payor: d.coverage.payor.trim(),
    subscriberId: d.coverage.subscriberId.trim(),
    planName: d.coverage.planName.trim() || null,
    relationship: d.coverage.relationship,
  };
}

function pick(list: readonly CodeOption[], code: string): CodeOption | null {
  return list.find((c) => c.code === code) ?? null;
}

export function toCreateRequest(d: Draft, codes: CodeTables): CreateReferralRequest {
  const priority = pick(codes.priorities, d.priority) ?? { system: "", code: d.priority, display: d.priority };
  return {
    patient: toPatientDetails(d.patient),
    coverage: toCoverage(d),
    patientLinks: d.links,
    service: {
      specialty: pick(codes.specialties, d.specialty),
      visitType: pick(codes.visitTypes, d.visitType),
      priority,
      reason: d.reason.trim(),
      reasonCode: d.reasonCode ?? undefined,
      dueBy: d.dueBy || undefined,
      referrer: toReferrer(d.referrer) ?? undefined,
      note: d.note.trim() || undefined,
    },
    organisationIds: d.organisationIds,
    window: { start: d.start, end: d.end },
  };
}

/** Splits a display name ("Peter James Chalmers") into given names and a family name. */
export function splitName(name: string): { given: string; family: string } {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  if (parts.length <= 1) return { given: "", family: parts[0] ?? "" };
  return { given: parts.slice(0, -1).join(" "), family: parts[parts.length - 1] ?? "" };
}
