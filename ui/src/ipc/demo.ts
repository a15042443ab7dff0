// Demo entry (demo.html, `npm run demo`): the real UI in a plain browser with an in-memory
// stand-in for the shell, for screenshots and UI review. Never part of the app bundle.

import type { Channel } from "@tauri-apps/api/core";
import { mockIPC } from "@tauri-apps/api/mocks";
import { CODES, HOME, ORG_A, ORG_B, option, queueItem, queueList, referral } from "../test/fixtures";
import type { FindProgress } from "./bindings/FindProgress";
import type { HomeInfo } from "./bindings/HomeInfo";
import type { QueueItem } from "./bindings/QueueItem";
import type { ReferralSummary } from "./bindings/ReferralSummary";
import type { SlotOption } from "./bindings/SlotOption";

const day = (d: number, h: number) => new Date(Date.UTC(2026, 11, d, h)).toISOString();
const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString();
const referrals: ReferralSummary[] = [
  referral({ id: "r-1001" }),
  referral({
    id: "r-1002",
    status: "held",
    organisationId: ORG_B.id,
    organisationName: ORG_B.name,
    patient: { name: "Amy Shaw", birthDate: "1988-03-14", mrn: "MRN-2207" },
    appointmentStart: day(3, 14),
    holdExpiresAt: inMinutes(4),
  }),
  referral({
    id: "r-1003",
    status: "cancelled",
    patient: { name: "Jon Ortiz", birthDate: "1951-07-02", mrn: "MRN-0915" },
    appointmentStart: day(2, 10),
  }),
  referral({
    id: "r-1004",
    status: "needs_attention",
    organisationId: ORG_B.id,
    organisationName: ORG_B.name,
    patient: { name: "Lena Park", birthDate: "2001-01-30", mrn: "MRN-3341" },
    appointmentStart: day(8, 9),
  }),
];
const options: SlotOption[] = [
  option("a-2", ORG_A, day(4, 15)),
  option("a-1", ORG_A, day(1, 9)),
  option("a-3", ORG_A, day(9, 11)),
];
let deskSettings: unknown = {
  referrer: { name: "Dr. Ada Obi", npi: "1234567893", phone: "555 010 2030" },
  followUpDays: 7,
};
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

// The home organisation's queue: the three scenario orders and two more, in every state a row has.
let home: HomeInfo = { ...HOME, lastRefreshed: new Date().toISOString() };
const dueIn = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const queue: QueueItem[] = [
  queueItem({ orderId: "sr-discharge", dueBy: dueIn(7) }),
  queueItem({
    orderId: "sr-derm",
    patientName: "Tom Baker",
    birthDate: "1990-09-12",
    mrn: "MRN-7720",
    what: "Dermatology",
    reason: "Psoriasis",
    priority: "routine",
    dueBy: dueIn(30),
    requester: "Dr. Lee Wong",
    view: "others",
    owner: "ben at WS-7",
    leaseEnd: inMinutes(11),
  }),
  queueItem({
    orderId: "sr-mri",
    patientName: "Rosa Diaz",
    birthDate: "1972-02-20",
    mrn: "MRN-3318",
    what: "MRI of the knee",
    reason: "Knee pain after a fall",
    priority: "routine",
    dueBy: dueIn(14),
    view: "done",
    outcome: "booked 3 Dec 09:30 at Napa Valley Clinic",
    referralId: "r-1001",
  }),
  queueItem({
    orderId: "sr-cardio",
    patientName: "Ivy Chen",
    birthDate: undefined,
    mrn: "MRN-4410",
    what: "Referral",
    reason: "Palpitations",
    priority: "asap",
    dueBy: dueIn(3),
    requester: "Dr. Sam Patel",
    missing: ["birth-date", "specialty"],
  }),
  queueItem({
    orderId: "sr-bad",
    patientName: "Unknown patient",
    birthDate: undefined,
    mrn: undefined,
    what: "Referral",
    reason: undefined,
    dueBy: undefined,
    view: "problem",
    problem: "The order names no patient; ask the ordering clinician to correct it.",
  }),
];

function queueAnswer(view: unknown) {
  const shown = queue.filter(
    (i) => !view || view === "all" || i.view === view || (view === "problems" && i.view === "problem"),
  );
  return { ...queueList(queue), lastRefreshed: home.lastRefreshed, items: shown };
}

function startOrder(orderId: unknown) {
  const item = queue.find((i) => i.orderId === orderId);
  if (!item) throw { code: "order_withdrawn", message: "This order was withdrawn at the home organisation." };
  if (item.view === "others")
    throw { code: "order_claimed", message: `This order is being worked by ${item.owner} until 14:05.` };
  Object.assign(item, { view: "mine", owner: home.deskDisplay, leaseEnd: inMinutes(15), referralId: "r-1002" });
  return { referralId: "r-1002", item };
}

function progress(ch: Channel<FindProgress> | undefined, p: Omit<FindProgress, "searchId">) {
  ch?.onmessage({ searchId: "demo", ...p });
}

async function answer(cmd: string, req: Record<string, unknown>, ch?: Channel<FindProgress>): Promise<unknown> {
  switch (cmd) {
    case "app_status":
      return {
        firstRun: location.hash === "#/first-run",
        organisationCount: 2,
        sandboxRunning: true,
        keyPresent: true,
        needsAttentionCount: 1,
        appVersion: "demo",
      };
    case "setup_sandbox":
      return { organisations: [ORG_A, ORG_B] };
    case "list_organisations":
      return { organisations: [ORG_A, ORG_B] };
    case "code_tables":
      return CODES;
    case "list_directory":
      return {
        organisationId: req.organisationId,
        organisationName: req.organisationId === ORG_B.id ? ORG_B.name : ORG_A.name,
        practitioners: [
          { id: "pract-1", name: "Dr. Ruth Schmidt", specialties: ["Dermatology"], locationIds: ["Location/loc-1"] },
          { id: "pract-2", name: "Dr. Ken Ito", specialties: ["Dermatology"], locationIds: ["Location/loc-2"] },
        ],
        locations: [
          { id: "Location/loc-1", name: "Main clinic", address: "1 Oak Avenue, Madison" },
          { id: "Location/loc-2", name: "East clinic", address: null },
        ],
      };
    case "get_jwks":
      return {
        jwksJson: JSON.stringify(
          { keys: [{ kty: "EC", crv: "P-384", kid: "demo-key", alg: "ES384", use: "sig", x: "…", y: "…" }] },
          null,
          2,
        ),
        keyId: "demo-key",
        algorithm: "ES384",
      };
    case "list_keys":
    case "add_key":
    case "retire_key":
    case "set_organisation_key":
      return {
        keys: [
          {
            keyId: "demo-key",
            algorithm: "ES384",
            created: "2026-11-01T09:00:00Z",
            active: true,
            organisations: [ORG_A, ORG_B].map((o) => ({ id: o.id, displayName: o.name })),
          },
        ],
      };
    case "list_referrals": {
      const text = typeof req.text === "string" ? req.text.toLowerCase() : "";
      const rows = referrals.filter(
        (r) =>
          !text || r.patient.name.toLowerCase().includes(text) || (r.patient.mrn ?? "").toLowerCase().includes(text),
      );
      return { referrals: rows, total: rows.length };
    }
    case "create_referral":
      return referral({ id: "r-new", status: "draft", organisationId: null, organisationName: null });
    case "find_slots":
    case "resume_referral":
      progress(ch, {
        organisationId: ORG_A.id,
        organisationName: ORG_A.name,
        state: "pending",
        options: [],
        error: null,
      });
      await wait(600);
      progress(ch, { organisationId: ORG_A.id, organisationName: ORG_A.name, state: "done", options, error: null });
      await wait(600);
      progress(ch, {
        organisationId: ORG_B.id,
        organisationName: ORG_B.name,
        state: "failed",
        options: [],
        error: {
          code: "unreachable",
          message: "Sonoma Imaging: The organisation could not be reached. Check the connection and try again later.",
        },
      });
      return { searchId: "demo", referralId: req.referralId, asked: 2, answered: 1, failed: 1, options };
    case "hold_slot":
      return {
        referralId: req.referralId,
        appointmentId: "appt-9",
        expiresAt: inMinutes(5),
        option: options.find((o) => o.optionId === req.optionId),
      };
    case "release_hold":
      return { referralId: req.referralId, released: true, status: "searching" };
    case "book_slot":
      return {
        referralId: req.referralId,
        appointmentId: "appt-9",
        organisationName: ORG_A.name,
        patientName: "Peter Chalmers",
        start: day(1, 9),
        end: day(1, 10),
        practitioner: "Dr. Ruth Schmidt",
        location: "Building 2",
        service: "Dermatology",
        comment: req.comment,
        bookedAt: new Date().toISOString(),
      };
    case "export_ics":
      return { fileName: "referral-demo.ics", content: "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", savedTo: null };
    case "get_referral": {
      const summary = referrals.find((r) => r.id === req.id) ?? referrals[0];
      return {
        summary,
        window: { start: "2026-11-23", end: "2026-12-07" },
        patientLinks: [],
        appointmentId: "appt-1",
        appointmentEnd: null,
        location: "Building 2",
        practitioner: "Dr. Ruth Schmidt",
        bookingComment: null,
        createdBy: "desk",
        events: [
          {
            at: day(1, 8),
            action: "$find",
            organisationName: ORG_A.name,
            outcome: "ok",
            detail: "3 times offered.",
            user: "demo",
            workstation: "demo-desk",
          },
          {
            at: day(1, 8),
            action: "$hold",
            organisationName: ORG_A.name,
            outcome: "ok",
            detail: "Held until 08:05.",
            user: "demo",
            workstation: "demo-desk",
          },
          {
            at: day(1, 8),
            action: "$book",
            organisationName: ORG_A.name,
            outcome: "ok",
            detail: "Booked appointment appt-1.",
            user: "demo",
            workstation: "demo-desk",
          },
        ],
      };
    }
    case "get_desk_settings":
      return deskSettings;
    case "save_desk_settings":
      deskSettings = req;
      return deskSettings;
    case "preview_booking":
      return {
        comment: [
          "Reason: Psoriasis (9014002) — Plaques on both elbows",
          "Priority: Urgent",
          "Referred by: Dr. Ada Obi, NPI 1234567893",
          "Call back: 555 010 2030",
          req.comment,
        ]
          .filter(Boolean)
          .join("\n"),
      };
    case "get_home":
      return { configured: true, home };
    case "save_home":
      home = { ...home, ...req, leaseSeconds: Number(req.leaseSeconds ?? home.leaseSeconds) };
      return { configured: true, home };
    case "list_queue":
      return queueAnswer(req.view);
    case "refresh_queue":
      await wait(400);
      home = { ...home, lastRefreshed: new Date().toISOString() };
      return queueAnswer("all");
    case "start_order":
      await wait(300);
      return startOrder(req.orderId);
    case "release_order": {
      const item = queue.find((i) => i.orderId === req.orderId);
      if (item)
        Object.assign(item, { view: "unclaimed", owner: undefined, leaseEnd: undefined, referralId: undefined });
      return item;
    }
    case "sync_status":
    case "sync_now":
      return { lastSyncedAt: new Date().toISOString(), offline: false, changes: [] };
    default:
      throw { code: "unsupported", message: `The demo does not answer ${cmd}.` };
  }
}

mockIPC((cmd, payload) => {
  const args = (payload ?? {}) as { request?: Record<string, unknown>; onProgress?: Channel<FindProgress> };
  if (cmd.startsWith("plugin:")) return null;
  return answer(cmd, args.request ?? {}, args.onProgress);
});

await import("../main");
