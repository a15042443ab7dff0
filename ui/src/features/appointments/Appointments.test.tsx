import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { callsTo, mockBackend, renderWithClient } from "../../test/backend";
import { ORG_A, ORG_B } from "../../test/fixtures";
import { AppointmentsScreen, toAppointmentsRequest } from "./AppointmentsScreen";

describe("Appointments", () => {
  it("lists a patient's appointments across organisations and the organisations that failed", async () => {
    const calls = mockBackend({
      list_appointments: () => ({
        appointments: [
          {
            organisationId: ORG_A.id,
            organisationName: ORG_A.name,
            appointmentId: "a1",
            status: "booked",
            start: "2026-12-01T09:00:00Z",
            end: null,
            patientName: "Peter Chalmers",
            practitioner: null,
            location: null,
            description: null,
            referralId: "r1",
          },
        ],
        errors: [
          {
            organisationId: ORG_B.id,
            organisationName: ORG_B.name,
            error: { code: "unreachable", message: "Sonoma Imaging: The organisation could not be reached." },
          },
        ],
      }),
    });
    const user = userEvent.setup();
    renderWithClient(<AppointmentsScreen />);
    await user.type(screen.getByTestId("appointments-who"), "MRN-100");
    await user.click(screen.getByTestId("appointments-search"));
    expect(await screen.findByTestId("appointment-row")).toHaveAttribute("data-status", "booked");
    expect(screen.getByTestId(`appointments-error-${ORG_B.id}`)).toHaveTextContent("could not be reached");
    expect(callsTo(calls, "list_appointments")).toEqual([
      { subject: { kind: "patient", mrn: "MRN-100" }, from: null, to: null },
    ]);
  });

  it("builds a practitioner request and refuses an empty one", () => {
    expect(toAppointmentsRequest("practitioner", " Dr Smith ", "", "2026-12-31")).toEqual({
      subject: { kind: "practitioner", reference: "Dr Smith" },
      from: null,
      to: "2026-12-31",
    });
    expect(toAppointmentsRequest("patient", "  ", "", "")).toBeNull();
  });
});
