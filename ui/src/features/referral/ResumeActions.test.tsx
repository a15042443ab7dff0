import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { ReferralDetail } from "../../ipc/bindings/ReferralDetail";
import type { ReferralStatus } from "../../ipc/bindings/ReferralStatus";
import { isoDateFromToday } from "../../lib/time";
import { callsTo, mockBackend, renderWithClient } from "../../test/backend";
import { CODES, ORG_A, option, referral } from "../../test/fixtures";
import { ReferralDetailScreen } from "./ReferralDetailScreen";

const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString();

function detail(status: ReferralStatus, over: Partial<ReferralDetail> = {}): ReferralDetail {
  const held = status === "held";
  return {
    summary: referral({
      id: "r1",
      status,
      appointmentStart: held ? "2026-12-01T09:30:00Z" : null,
      holdExpiresAt: held ? inAnHour() : null,
    }),
    window: { start: isoDateFromToday(1), end: isoDateFromToday(15) },
    patientLinks: [],
    appointmentId: held ? "appt-7" : null,
    appointmentEnd: null,
    location: null,
    practitioner: held ? "Dr. Ruth Schmidt" : null,
    bookingComment: null,
    createdBy: "desk",
    events: [],
    ...over,
  };
}

describe("Finishing a referral from its detail", () => {
  it("offers a referral just started from a queue order its first search", async () => {
    mockBackend({ get_referral: () => detail("draft"), code_tables: () => CODES });
    renderWithClient(<ReferralDetailScreen id="r1" />);
    const section = await screen.findByTestId("resume-search");
    expect(section).toHaveTextContent("No organisation has been asked yet.");
    expect(within(section).getByTestId("resume-search-button")).toHaveTextContent("Find times");
  });

  it("searches a failed referral again with its stored inputs, holds a time and books it", async () => {
    let status: ReferralStatus = "failed";
    const time = option("org-a/p1", ORG_A, "2026-12-02T10:00:00Z");
    const calls = mockBackend({
      get_referral: () => detail(status),
      code_tables: () => CODES,
      resume_referral: (_req, { progress }) => {
        status = "searching";
        progress({
          searchId: "s1",
          organisationId: ORG_A.id,
          organisationName: ORG_A.name,
          state: "done",
          options: [time],
          error: null,
        });
        return { searchId: "s1", referralId: "r1", asked: 1, answered: 1, failed: 0, options: [time] };
      },
      hold_slot: () => {
        status = "held";
        return { referralId: "r1", appointmentId: "appt-7", expiresAt: inAnHour(), option: time };
      },
      book_slot: () => {
        status = "booked";
        return {
          referralId: "r1",
          appointmentId: "appt-7",
          organisationName: ORG_A.name,
          patientName: "Peter Chalmers",
          start: time.start,
          end: time.end,
          practitioner: null,
          location: null,
          service: "Dermatology",
          comment: null,
          bookedAt: "2026-11-30T10:00:00Z",
        };
      },
    });
    const user = userEvent.setup();
    renderWithClient(<ReferralDetailScreen id="r1" />);
    await user.click(await screen.findByTestId("resume-search-button"));
    // The referral's own search: no organisations or window sent, the core uses the stored ones.
    expect(callsTo(calls, "resume_referral")).toEqual([{ referralId: "r1" }]);
    await user.click(await screen.findByTestId("hold-button"));
    expect(callsTo(calls, "hold_slot")).toEqual([{ referralId: "r1", optionId: "org-a/p1" }]);

    const held = await screen.findByTestId("resume-held");
    expect(Number(within(held).getByTestId("hold-countdown").getAttribute("data-seconds-left"))).toBeGreaterThan(0);
    await user.type(within(held).getByTestId("book-comment"), "Mornings please");
    await user.click(within(held).getByTestId("book-button"));
    await waitFor(() => expect(screen.getByTestId("referral-detail")).toHaveAttribute("data-status", "booked"));
    expect(callsTo(calls, "book_slot")).toEqual([{ referralId: "r1", optionId: null, comment: "Mornings please" }]);
    expect(screen.queryByTestId("resume-held")).toBeNull();
  });

  it("asks for new dates when the requested window has passed", async () => {
    const calls = mockBackend({
      get_referral: () => detail("searching", { window: { start: "2020-01-01", end: "2020-01-10" } }),
      code_tables: () => CODES,
      resume_referral: () => ({ searchId: "s", referralId: "r1", asked: 1, answered: 1, failed: 0, options: [] }),
    });
    const user = userEvent.setup();
    renderWithClient(<ReferralDetailScreen id="r1" />);
    expect(await screen.findByTestId("resume-start")).toBeInTheDocument();
    await user.click(screen.getByTestId("resume-search-button"));
    expect(callsTo(calls, "resume_referral")).toEqual([
      { referralId: "r1", window: { start: isoDateFromToday(1), end: isoDateFromToday(15) } },
    ]);
  });

  it("releases a held time", async () => {
    let status: ReferralStatus = "held";
    const calls = mockBackend({
      get_referral: () => detail(status),
      code_tables: () => CODES,
      release_hold: () => {
        status = "searching";
        return { referralId: "r1", released: true, status: "searching" };
      },
    });
    const user = userEvent.setup();
    renderWithClient(<ReferralDetailScreen id="r1" />);
    await user.click(await screen.findByTestId("release-button"));
    await screen.findByTestId("resume-search");
    expect(callsTo(calls, "release_hold")).toEqual([{ referralId: "r1" }]);
  });

  it("re-checks a referral that needs attention and settles it with a note, refusing an empty one", async () => {
    let status: ReferralStatus = "needs_attention";
    const calls = mockBackend({
      get_referral: () => detail(status, { statusNote: "The booking may or may not have happened." }),
      code_tables: () => CODES,
      recheck_referral: () => ({
        referralId: "r1",
        finding: "booked",
        appointment: {
          appointmentId: "appt-7",
          status: "booked",
          start: "2026-12-01T09:30:00Z",
          end: null,
          practitioner: "Dr. Ruth Schmidt",
          location: null,
        },
        message: "Napa Valley Clinic has appointment appt-7 booked for this referral.",
        suggested: "booked_as_found",
      }),
      settle_referral: (req) => {
        if (!req.note.trim()) throw { code: "invalid_input", field: "note", message: "Note: write what you found." };
        status = "booked";
        return referral({ id: "r1", status: "booked" });
      },
    });
    const user = userEvent.setup();
    renderWithClient(<ReferralDetailScreen id="r1" />);
    const resolve = await screen.findByTestId("resolve");
    expect(within(resolve).getByTestId("resolve-known")).toHaveTextContent("may or may not have happened");
    await user.click(within(resolve).getByTestId("recheck-button"));
    expect(await within(resolve).findByTestId("recheck-result")).toHaveAttribute("data-finding", "booked");
    expect(within(resolve).getByTestId("settle-outcome")).toHaveValue("booked_as_found");

    await user.click(within(resolve).getByTestId("settle-button"));
    expect(await within(resolve).findByTestId("settle-error")).toHaveTextContent("Note: write what you found.");
    expect(screen.getByTestId("referral-detail")).toHaveAttribute("data-status", "needs_attention");

    await user.type(within(resolve).getByTestId("settle-note"), "Confirmed by phone");
    await user.click(within(resolve).getByTestId("settle-button"));
    await waitFor(() => expect(screen.getByTestId("referral-detail")).toHaveAttribute("data-status", "booked"));
    expect(callsTo(calls, "settle_referral").at(-1)).toEqual({
      referralId: "r1",
      outcome: "booked_as_found",
      note: "Confirmed by phone",
    });
  });

  it("offers nothing to resume on a booked referral", async () => {
    mockBackend({ get_referral: () => detail("booked"), code_tables: () => CODES });
    renderWithClient(<ReferralDetailScreen id="r1" />);
    await screen.findByTestId("referral-detail");
    expect(screen.queryByTestId("resume-search")).toBeNull();
    expect(screen.queryByTestId("resolve")).toBeNull();
  });
});
