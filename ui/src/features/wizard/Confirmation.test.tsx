import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { callsTo, mockBackend, renderWithClient } from "../../test/backend";
import { Confirmation } from "./Confirmation";

const BOOKING = {
  referralId: "r-1",
  appointmentId: "appt-9",
  organisationName: "Napa Valley Clinic",
  patientName: "Peter Chalmers",
  start: "2026-12-01T09:00:00Z",
  end: "2026-12-01T09:30:00Z",
  practitioner: null,
  location: null,
  service: "Dermatology",
  comment: null,
  bookedAt: "2026-11-22T10:00:00Z",
};

describe("Confirmation", () => {
  it("offers the .ics text as a text/calendar download when the shell did not save it", async () => {
    const ics =
      "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nDTSTART:20261201T090000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    const calls = mockBackend({ export_ics: () => ({ fileName: "referral-r-1.ics", content: ics, savedTo: null }) });
    const blobs: Blob[] = [];
    URL.createObjectURL = vi.fn((b: Blob) => {
      blobs.push(b);
      return "blob:ics";
    });
    URL.revokeObjectURL = vi.fn();
    const clicked: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this.download);
    });
    const user = userEvent.setup();
    renderWithClient(<Confirmation booking={BOOKING} />);
    expect(screen.getByTestId("confirmation")).toHaveTextContent("Appointment booked");
    await user.click(screen.getByTestId("export-ics-button"));
    expect(await screen.findByTestId("ics-saved")).toHaveTextContent("referral-r-1.ics");
    expect(callsTo(calls, "export_ics")).toEqual([{ referralId: "r-1" }]);
    expect(clicked).toEqual(["referral-r-1.ics"]);
    expect(blobs[0]?.type).toBe("text/calendar;charset=utf-8");
    const text = await blobs[0]!.text();
    expect(text.startsWith("BEGIN:VCALENDAR\r\n")).toBe(true);
    expect(text).toContain("DTSTART:20261201T090000Z\r\n");
  });

  it("prints through the browser's print dialog", async () => {
    mockBackend({});
    const print = vi.spyOn(window, "print").mockImplementation(() => undefined);
    const user = userEvent.setup();
    renderWithClient(<Confirmation booking={BOOKING} />);
    await user.click(screen.getByTestId("print-button"));
    expect(print).toHaveBeenCalledOnce();
  });
});
