import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { ReferralDetail } from "../../ipc/bindings/ReferralDetail";
import { callsTo, mockBackend, renderWithClient } from "../../test/backend";
import { CODES, referral } from "../../test/fixtures";
import { ReferralDetailScreen } from "./ReferralDetailScreen";

const DETAIL: ReferralDetail = {
  summary: referral({ id: "r1", status: "booked" }),
  window: { start: "2026-11-23", end: "2026-12-07" },
  patientLinks: [],
  appointmentId: "appt-9",
  appointmentEnd: "2026-12-01T10:00:00Z",
  location: "Building 2",
  practitioner: "Dr. Ruth Schmidt",
  bookingComment: "Bring scans",
  createdBy: "desk",
  events: [
    {
      at: "2026-11-22T09:00:00Z",
      action: "$find",
      organisationName: "Napa Valley Clinic",
      outcome: "ok",
      detail: "3 times offered.",
      user: "nurse",
      workstation: "desk-1",
    },
    {
      at: "2026-11-22T09:01:00Z",
      action: "$book",
      organisationName: "Napa Valley Clinic",
      outcome: "ok",
      detail: "Booked appointment appt-9.",
      user: "nurse",
      workstation: "desk-1",
    },
  ],
};

describe("Referral detail", () => {
  it("shows the timeline and cancels with a reason from the table", async () => {
    let cancelled = false;
    const calls = mockBackend({
      get_referral: () => (cancelled ? { ...DETAIL, summary: { ...DETAIL.summary, status: "cancelled" } } : DETAIL),
      code_tables: () => CODES,
      cancel_referral: () => {
        cancelled = true;
        return { ...DETAIL.summary, status: "cancelled" };
      },
    });
    const user = userEvent.setup();
    renderWithClient(<ReferralDetailScreen id="r1" />);
    const events = await screen.findAllByTestId("timeline-event");
    expect(events).toHaveLength(2);
    expect(events[0]).toHaveTextContent("$find");
    expect(events[1]).toHaveTextContent("Booked appointment appt-9.");
    // Who did it, on which workstation (the audit trail's actor).
    expect(within(events[1]).getByTestId("timeline-actor")).toHaveTextContent("by nurse on desk-1");

    await user.click(screen.getByTestId("cancel-button"));
    const dialog = await screen.findByTestId("cancel-dialog");
    expect(within(dialog).getByTestId("cancel-confirm")).toBeDisabled();
    await user.selectOptions(within(dialog).getByTestId("cancel-reason"), "patient-cancel");
    await user.type(within(dialog).getByTestId("cancel-note"), "Feeling better");
    await user.click(within(dialog).getByTestId("cancel-confirm"));
    expect(await screen.findByTestId("referral-detail")).toHaveAttribute("data-status", "cancelled");
    expect(screen.queryByTestId("cancel-dialog")).toBeNull();
    expect(callsTo(calls, "cancel_referral")).toEqual([
      { referralId: "r1", reasonCode: "patient-cancel", note: "Feeling better" },
    ]);
  });

  it("shows the referral's content: coded reason and words, priority, due date, referrer and note", async () => {
    const service = {
      ...DETAIL.summary.service,
      priority: { system: "http://hl7.org/fhir/request-priority", code: "urgent", display: "Urgent" },
      reason: "Plaques on both elbows",
      reasonCode: { system: "http://snomed.info/sct", code: "9014002", display: "Psoriasis" },
      dueBy: "2026-11-01",
      referrer: { name: "Dr. Ada Obi", npi: "1234567893", phone: "555 010 2030" },
      note: "Interpreter needed.",
    };
    mockBackend({
      get_referral: () => ({ ...DETAIL, summary: { ...DETAIL.summary, status: "failed", service, overdue: true } }),
      code_tables: () => CODES,
    });
    renderWithClient(<ReferralDetailScreen id="r1" />);
    expect(await screen.findByTestId("fact-reason")).toHaveTextContent(
      "Psoriasis (SNOMED CT 9014002) — Plaques on both elbows",
    );
    expect(screen.getByTestId("fact-priority")).toHaveTextContent("Urgent");
    expect(screen.getByTestId("fact-due-by")).toHaveTextContent(/2026.*Overdue/);
    expect(screen.getByTestId("fact-referred-by")).toHaveTextContent("Dr. Ada Obi, NPI 1234567893");
    expect(screen.getByTestId("fact-call-back")).toHaveTextContent("555 010 2030");
    expect(screen.getByTestId("fact-note")).toHaveTextContent("Interpreter needed.");
  });
});
