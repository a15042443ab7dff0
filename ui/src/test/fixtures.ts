// Sample DTOs shaped exactly as the generated bindings say.
import type { CodeTables } from "../ipc/bindings/CodeTables";
import type { HomeInfo } from "../ipc/bindings/HomeInfo";
import type { Organisation } from "../ipc/bindings/Organisation";
import type { QueueItem } from "../ipc/bindings/QueueItem";
import type { QueueList } from "../ipc/bindings/QueueList";
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

export const HOME: HomeInfo = {
  name: "Riverside General",
  baseUrl: "http://127.0.0.1:4010/fhir",
  clientId: "refdesk",
  deskId: "6f1c2d9e-8a7b-4c3d-9e0f-1a2b3c4d5e6f",
  deskDisplay: "ana at WS-2",
  leaseSeconds: 900,
  lastRefreshed: "2026-11-30T08:00:00Z",
};

export function queueItem(over: Partial<QueueItem> = {}): QueueItem {
  return {
    orderId: "sr-1",
    view: "unclaimed",
    patientName: "Maria Lopez",
    birthDate: "1958-04-02",
    mrn: "MRN-5501",
    what: "Family practice",
    reason: "Discharge follow-up within 7 days",
    priority: "urgent",
    dueBy: "2099-12-07",
    requester: "Dr. Sam Patel",
    missing: [],
    lastUpdated: "2026-11-30T07:55:00Z",
    ...over,
  };
}

/** A queue list with the counts worked out from the items. */
export function queueList(items: QueueItem[], over: Partial<QueueList> = {}): QueueList {
  const count = (v: QueueItem["view"]) => items.filter((i) => i.view === v).length;
  return {
    items,
    homeConfigured: true,
    lastRefreshed: HOME.lastRefreshed,
    counts: {
      unclaimed: count("unclaimed"),
      mine: count("mine"),
      others: count("others"),
      done: count("done"),
      problems: count("problem"),
    },
    ...over,
  };
}
