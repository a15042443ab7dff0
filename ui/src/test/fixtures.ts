// Sample DTOs shaped exactly as the generated bindings say.
import type { CodeTables } from "../ipc/bindings/CodeTables";
import type { Organisation } from "../ipc/bindings/Organisation";
import type { ReferralSummary } from "../ipc/bindings/ReferralSummary";
import type { SlotOption } from "../ipc/bindings/SlotOption";

export const ORG_A: Organisation = {
  id: "org-a",
  name: "Napa Valley Clinic",
  fhirBase: "http://127.0.0.1:4001/fhir",
  clientId: "refdesk",
  scopes: "system/*.read",
  enabled: true,
  sandbox: true,
  lastCheck: null,
};
export const ORG_B: Organisation = {
  ...ORG_A,
  id: "org-b",
  name: "Sonoma Imaging",
  fhirBase: "http://127.0.0.1:4002/fhir",
};

export const CODES: CodeTables = {
  specialties: [{ system: "http://snomed.info/sct", code: "394582007", display: "Dermatology" }],
  visitTypes: [
    { system: "http://fhir.org/guides/argonaut-scheduling/CodeSystem/visit-type", code: "mri", display: "MRI" },
  ],
  cancelReasons: [
    {
      system: "http://fhir.org/guides/argonaut-scheduling/CodeSystem/status-reason",
      code: "patient-cancel",
      display: "Patient cancelled",
    },
  ],
  priorities: [{ system: "http://hl7.org/fhir/request-priority", code: "routine", display: "Routine" }],
  referralReasons: [{ system: "http://snomed.info/sct", code: "9014002", display: "Psoriasis" }],
};

export function referral(over: Partial<ReferralSummary> = {}): ReferralSummary {
  return {
    id: "ref-1",
    status: "booked",
    organisationId: ORG_A.id,
    organisationName: ORG_A.name,
    patient: { name: "Peter Chalmers", birthDate: "1974-12-25", mrn: "MRN-100" },
    service: {
      specialty: CODES.specialties[0] ?? null,
      visitType: null,
      priority: { system: "", code: "routine", display: "Routine" },
      reason: "Rash",
    },
    appointmentStart: "2026-12-01T09:30:00Z",
    holdExpiresAt: null,
    createdAt: "2026-11-20T08:00:00Z",
    updatedAt: "2026-11-20T08:00:00Z",
    overdue: false,
    ...over,
  };
}

export function option(id: string, org: Organisation, start: string): SlotOption {
  const end = new Date(Date.parse(start) + 30 * 60_000).toISOString();
  return {
    optionId: id,
    organisationId: org.id,
    organisationName: org.name,
    start,
    end,
    practitioner: "Dr. Ruth Schmidt",
    location: null,
    visitType: null,
    comment: null,
  };
}
