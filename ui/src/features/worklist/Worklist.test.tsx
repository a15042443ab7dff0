import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { ListReferralsRequest } from "../../ipc/bindings/ListReferralsRequest";
import { callsTo, mockBackend, renderWithClient } from "../../test/backend";
import { ORG_A, ORG_B, referral } from "../../test/fixtures";
import { NO_FILTER, toRequest, Worklist } from "./Worklist";

const ROWS = [
  referral({ id: "r1", status: "booked" }),
  referral({
    id: "r2",
    status: "held",
    organisationId: ORG_B.id,
    organisationName: ORG_B.name,
    patient: { name: "Amy Shaw", birthDate: null, mrn: "MRN-2" },
    holdExpiresAt: new Date(Date.now() + 120_000).toISOString(),
  }),
];

function backend() {
  return mockBackend({
    list_referrals: (req) => {
      const text = req.text?.toLowerCase();
      const rows = ROWS.filter(
        (r) =>
          (req.statuses.length === 0 || req.statuses.includes(r.status)) &&
          (!text || r.patient.name.toLowerCase().includes(text)),
      );
      return { referrals: rows, total: rows.length };
    },
    list_organisations: () => ({ organisations: [ORG_A, ORG_B] }),
  });
}

describe("Worklist", () => {
  it("lists referrals with status, organisation, patient and a live countdown for holds", async () => {
    backend();
    renderWithClient(<Worklist />);
    const rows = await screen.findAllByTestId("worklist-row");
    expect(rows.map((r) => r.getAttribute("data-status"))).toEqual(["booked", "held"]);
    expect(within(rows[0]!).getByText("Peter Chalmers")).toBeInTheDocument();
    expect(within(rows[0]!).getByText("Napa Valley Clinic")).toBeInTheDocument();
    expect(within(rows[0]!).queryByTestId("worklist-countdown")).toBeNull();
    expect(within(rows[1]!).getByTestId("worklist-countdown")).toHaveTextContent(/Held for [12]:\d\d/);
  });

  it("sends the filter to list_referrals and shows only what matches", async () => {
    const calls = backend();
    const user = userEvent.setup();
    renderWithClient(<Worklist />);
    await screen.findAllByTestId("worklist-row");
    await user.type(screen.getByTestId("worklist-search"), "amy");
    await waitFor(() => expect(screen.getAllByTestId("worklist-row")).toHaveLength(1));
    expect(screen.getByTestId("worklist-count")).toHaveTextContent(/^1 referral$/);
    expect(screen.getByTestId("worklist-row")).toHaveAttribute("data-referral-id", "r2");
    await user.selectOptions(screen.getByTestId("filter-status"), "booked");
    await screen.findByTestId("worklist-empty");
    const last = callsTo(calls, "list_referrals").at(-1) as ListReferralsRequest;
    expect(last).toMatchObject({ statuses: ["booked"], text: "amy" });
  });

  it("maps blank filter fields to no criterion", () => {
    expect(toRequest(NO_FILTER)).toEqual({
      statuses: [],
      organisationId: null,
      from: null,
      to: null,
      text: null,
      limit: 500,
      sort: "newest",
      overdueOnly: false,
      utcOffsetMinutes: -new Date().getTimezoneOffset(),
    });
    expect(toRequest({ ...NO_FILTER, text: "  MRN-2 ", when: "custom", from: "2026-12-01" })).toMatchObject({
      text: "MRN-2",
      from: "2026-12-01",
      to: null,
    });
  });

  it("resolves the date presets against today, inclusive, and uses the dates only when asked", () => {
    const now = new Date(2026, 10, 22, 15, 30);
    expect(toRequest({ ...NO_FILTER, when: "today" }, now)).toMatchObject({ from: "2026-11-22", to: "2026-11-22" });
    expect(toRequest({ ...NO_FILTER, when: "next7" }, now)).toMatchObject({ from: "2026-11-22", to: "2026-11-28" });
    expect(toRequest({ ...NO_FILTER, when: "next30" }, now)).toMatchObject({ from: "2026-11-22", to: "2026-12-21" });
    expect(toRequest({ ...NO_FILTER, when: "past30" }, now)).toMatchObject({ from: "2026-10-24", to: "2026-11-22" });
    expect(toRequest({ ...NO_FILTER, when: "next7", from: "2020-01-01" }, now)).toMatchObject({ from: "2026-11-22" });
  });

  it("shows the From and To fields only for a chosen date range, and Clear hides them", async () => {
    const calls = backend();
    const user = userEvent.setup();
    renderWithClient(<Worklist />);
    await screen.findAllByTestId("worklist-row");
    expect(screen.queryByTestId("filter-from")).toBeNull();
    await user.selectOptions(screen.getByTestId("filter-when"), "custom");
    const from = screen.getByLabelText("From");
    await user.type(from, "2026-12-01");
    await waitFor(() =>
      expect(callsTo(calls, "list_referrals").at(-1)).toMatchObject({ from: "2026-12-01", to: null }),
    );
    await user.click(screen.getByTestId("filter-clear"));
    expect(screen.queryByTestId("filter-from")).toBeNull();
    expect(callsTo(calls, "list_referrals").at(-1)).toMatchObject({ from: null, to: null });
  });

  it("shows a failed load as a sentence", async () => {
    mockBackend({
      list_organisations: () => ({ organisations: [] }),
      list_referrals: () => {
        throw { code: "local_failure", message: "The worklist could not be read. Restart Referral Desk." };
      },
    });
    renderWithClient(<Worklist />);
    expect(await screen.findByTestId("error-banner")).toHaveTextContent("The worklist could not be read.");
  });

  it("shows the due date, flags overdue rows in words, and asks for due-date order and overdue only", async () => {
    const late = referral({
      id: "r-late",
      status: "searching",
      service: { ...referral().service, dueBy: "2026-11-01" },
      overdue: true,
    });
    const soon = referral({ id: "r-soon", service: { ...referral().service, dueBy: "2026-12-24" } });
    const calls = mockBackend({
      list_organisations: () => ({ organisations: [ORG_A] }),
      list_referrals: (req) => {
        const rows = req.overdueOnly ? [late] : req.sort === "due_by" ? [late, soon] : [soon, late];
        return { referrals: rows, total: rows.length };
      },
    });
    const user = userEvent.setup();
    renderWithClient(<Worklist />);
    await waitFor(() => expect(screen.getAllByTestId("worklist-row")).toHaveLength(2));
    const [first, second] = screen.getAllByTestId("worklist-row");
    expect(first).toHaveAttribute("data-overdue", "false");
    expect(within(first!).queryByTestId("overdue-flag")).toBeNull();
    expect(second).toHaveAttribute("data-overdue", "true");
    expect(within(second!).getByTestId("overdue-flag")).toHaveTextContent("Overdue");
    expect(screen.getByRole("columnheader", { name: "Due by" })).toBeInTheDocument();

    await user.selectOptions(screen.getByTestId("worklist-sort"), "due_by");
    await waitFor(() =>
      expect(screen.getAllByTestId("worklist-row").map((r) => r.dataset.referralId)).toEqual(["r-late", "r-soon"]),
    );
    expect(callsTo(calls, "list_referrals").at(-1)).toMatchObject({ sort: "due_by", overdueOnly: false });

    await user.click(screen.getByTestId("filter-overdue"));
    await waitFor(() => expect(screen.getAllByTestId("worklist-row")).toHaveLength(1));
    expect(callsTo(calls, "list_referrals").at(-1)).toMatchObject({ sort: "due_by", overdueOnly: true });
  });
});
