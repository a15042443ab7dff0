import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { FindSlotsRequest } from "../../ipc/bindings/FindSlotsRequest";
import type { ReferralDetail } from "../../ipc/bindings/ReferralDetail";
import { callsTo, mockBackend, renderWithClient } from "../../test/backend";
import { ORG_A, option, referral } from "../../test/fixtures";
import { Reschedule } from "./Reschedule";

const DETAIL: ReferralDetail = {
  summary: referral({ id: "r1", status: "booked" }),
  window: { start: "2026-11-23", end: "2026-12-07" },
  patientLinks: [],
  appointmentId: "appt-1",
  appointmentEnd: null,
  location: null,
  practitioner: null,
  bookingComment: null,
  createdBy: "desk",
  events: [],
};

describe("Reschedule", () => {
  it("searches the referral's organisation and reports exactly what is true afterwards", async () => {
    const NEW = option("n1", ORG_A, "2026-12-10T09:00:00Z");
    const calls = mockBackend({
      find_slots: (req, { progress }) => {
        progress({
          searchId: "s",
          organisationId: ORG_A.id,
          organisationName: ORG_A.name,
          state: "done",
          options: [NEW],
          error: null,
        });
        return { searchId: "s", referralId: req.referralId, asked: 1, answered: 1, failed: 0, options: [NEW] };
      },
      reschedule_referral: (req) => ({
        state: "old_still_booked",
        referral: referral({ id: req.referralId }),
        message: "Napa Valley Clinic refused the new time; the original appointment is still booked.",
      }),
    });
    const user = userEvent.setup();
    renderWithClient(<Reschedule detail={DETAIL} onDone={() => undefined} />);
    await user.click(screen.getByTestId("reschedule-find"));
    await user.click(await screen.findByTestId("hold-button"));
    const result = await screen.findByTestId("reschedule-result");
    expect(result).toHaveAttribute("data-state", "old_still_booked");
    expect(result).toHaveTextContent("the original appointment is still booked");
    const find = callsTo(calls, "find_slots")[0] as FindSlotsRequest;
    expect(find).toMatchObject({ referralId: "r1", organisationIds: [ORG_A.id] });
    expect(callsTo(calls, "reschedule_referral")).toEqual([{ referralId: "r1", optionId: "n1", comment: null }]);
  });
});
