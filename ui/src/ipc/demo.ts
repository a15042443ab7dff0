// Demo entry (demo.html, `npm run demo`): the real UI in a plain browser with an in-memory
// stand-in for the shell, for screenshots and UI review. Never part of the app bundle.

import type { Channel } from "@tauri-apps/api/core";
import { mockIPC } from "@tauri-apps/api/mocks";
import { CODES, ORG_A, ORG_B, option, referral } from "../test/fixtures";
import type { FindProgress } from "./bindings/FindProgress";
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
