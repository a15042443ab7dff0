import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { BookSlotRequest } from "../../ipc/bindings/BookSlotRequest";
import type { CreateReferralRequest } from "../../ipc/bindings/CreateReferralRequest";
import type { FindSummary } from "../../ipc/bindings/FindSummary";
import { callsTo, type Handlers, mockBackend, renderWithClient } from "../../test/backend";
import { CODES, ORG_A, ORG_B, option, referral } from "../../test/fixtures";
import { Wizard } from "./Wizard";

const EARLY = option("a-early", ORG_A, "2026-12-01T09:00:00Z");
const LATE = option("a-late", ORG_A, "2026-12-04T09:00:00Z");

function deferred() {
  let resolve = () => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

function handlers(release: { promise: Promise<void> }, over: Handlers = {}): Handlers {
  return {
    list_organisations: () => ({ organisations: [ORG_A, ORG_B] }),
    code_tables: () => CODES,
    create_referral: () => referral({ id: "r-new", status: "draft", organisationId: null, organisationName: null }),
    find_slots: async (req, { progress }): Promise<FindSummary> => {
      progress({
        searchId: "s1",
        organisationId: ORG_A.id,
        organisationName: ORG_A.name,
        state: "done",
        options: [LATE, EARLY],
        error: null,
      });
      await release.promise;
      progress({
        searchId: "s1",
        organisationId: ORG_B.id,
        organisationName: ORG_B.name,
        state: "failed",
        options: [],
        error: {
          code: "unreachable",
          message: "Sonoma Imaging: The organisation could not be reached. The organisation said: “Scheduler offline”",
        },
      });
      return { searchId: "s1", referralId: req.referralId, asked: 2, answered: 1, failed: 1, options: [EARLY, LATE] };
    },
    hold_slot: (req) => ({
      referralId: req.referralId,
      appointmentId: "appt-9",
      expiresAt: new Date(Date.now() + 300_000).toISOString(),
      option: EARLY,
    }),
    release_hold: (req) => ({ referralId: req.referralId, released: true, status: "searching" }),
    preview_booking: (req) => ({ comment: ["Reason: Rash", req.comment].filter(Boolean).join("\n") }),
    book_slot: (req) => ({
      referralId: req.referralId,
      appointmentId: "appt-9",
      organisationName: ORG_A.name,
      patientName: "Peter Chalmers",
      start: EARLY.start,
      end: EARLY.end,
      practitioner: "Dr. Ruth Schmidt",
      location: null,
      service: "Dermatology",
      comment: req.comment,
      bookedAt: "2026-11-22T10:00:00Z",
    }),
    export_ics: (req) => ({
      fileName: `referral-${req.referralId}.ics`,
      content: "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
      savedTo: `/home/desk/Downloads/referral-${req.referralId}.ics`,
    }),
    ...over,
  };
}

async function fillToResults(user: ReturnType<typeof userEvent.setup>, windowStart?: string) {
  await screen.findByTestId("wizard-step-patient");
  await user.type(screen.getByTestId("patient-family"), "Chalmers");
  await user.type(screen.getByTestId("patient-given"), "Peter James");
  fireEvent.change(screen.getByTestId("patient-birth-date"), { target: { value: "1974-12-25" } });
  await user.type(screen.getByTestId("patient-mrn"), "MRN-100");
  await user.click(screen.getByTestId("coverage-toggle"));
  await user.type(screen.getByTestId("coverage-payor"), "Acme Health");
  await user.type(screen.getByTestId("coverage-subscriber-id"), "SUB-1");
  await user.click(screen.getByTestId("wizard-next"));
  await user.selectOptions(await screen.findByTestId("service-specialty"), "394582007");
  await user.type(screen.getByTestId("service-reason"), "Persistent rash");
  await user.click(screen.getByTestId("wizard-next"));
  await user.click(await screen.findByTestId(`org-checkbox-${ORG_A.id}`));
  await user.click(screen.getByTestId(`org-checkbox-${ORG_B.id}`));
  await user.click(screen.getByTestId("wizard-next"));
  await screen.findByTestId("wizard-step-dates");
  if (windowStart) fireEvent.change(screen.getByTestId("window-start"), { target: { value: windowStart } });
  await user.click(screen.getByTestId("wizard-next"));
}

describe("New referral wizard", () => {
  // The longest walk through the wizard: it may take more than the default 5 s on a busy machine.
  it("streams results per organisation, shows an organisation's error beside it, holds and books", async () => {
    const gate = deferred();
    const calls = mockBackend(handlers(gate));
    const user = userEvent.setup();
    renderWithClient(<Wizard />);
    await fillToResults(user);

    // Napa has answered, Sonoma is still being asked.
    await waitFor(() => expect(screen.getByTestId(`find-progress-${ORG_A.id}`)).toHaveAttribute("data-state", "done"));
    expect(screen.getByTestId(`find-progress-${ORG_B.id}`)).toHaveAttribute("data-state", "pending");
    expect(screen.getByTestId(`find-progress-${ORG_B.id}`)).toHaveTextContent("Asking…");
    gate.resolve();
    const failed = await screen.findByTestId(`find-error-${ORG_B.id}`);
    expect(failed).toHaveTextContent("The organisation said: “Scheduler offline”");
    expect(within(screen.getByTestId(`find-progress-${ORG_B.id}`)).getByRole("alert")).toBe(failed);

    const options = screen.getAllByTestId("result-option");
    expect(options.map((o) => o.getAttribute("data-option-id"))).toEqual(["a-early", "a-late"]);

    const created = callsTo(calls, "create_referral")[0] as CreateReferralRequest;
    expect(created.organisationIds).toEqual([ORG_A.id, ORG_B.id]);
    expect(created.coverage?.payor).toBe("Acme Health");

    await user.click(within(options[0]!).getByTestId("hold-button"));
    expect(await screen.findByTestId("hold-countdown")).toHaveTextContent(/Held for [45]:\d\d/);
    expect(callsTo(calls, "hold_slot")).toEqual([{ referralId: "r-new", optionId: "a-early" }]);

    await user.type(screen.getByTestId("book-comment"), "Bring previous scans");
    await user.click(screen.getByTestId("book-button"));
    const confirmation = await screen.findByTestId("confirmation");
    expect(confirmation).toHaveTextContent("Napa Valley Clinic");
    expect(confirmation).toHaveTextContent("Bring previous scans");
    expect(callsTo(calls, "book_slot")).toEqual([
      { referralId: "r-new", comment: "Bring previous scans", optionId: null } satisfies BookSlotRequest,
    ]);

    await user.click(screen.getByTestId("export-ics-button"));
    expect(await screen.findByTestId("ics-saved")).toHaveTextContent(
      "Saved to /home/desk/Downloads/referral-r-new.ics",
    );
    expect(callsTo(calls, "export_ics")).toEqual([{ referralId: "r-new" }]);
    expect(callsTo(calls, "release_hold")).toEqual([]);
  }, 15_000);

  it("releases the hold when the user backs out of booking", async () => {
    const gate = deferred();
    gate.resolve();
    const calls = mockBackend(handlers(gate));
    const user = userEvent.setup();
    renderWithClient(<Wizard />);
    await fillToResults(user);
    const first = (await screen.findAllByTestId("hold-button"))[0]!;
    await user.click(first);
    await screen.findByTestId("hold-countdown");
    await user.click(screen.getByTestId("release-button"));
    await screen.findByTestId("wizard-step-results");
    expect(callsTo(calls, "release_hold")).toEqual([{ referralId: "r-new" }]);
  });

  it("releases the hold when the wizard is closed", async () => {
    const gate = deferred();
    gate.resolve();
    const calls = mockBackend(handlers(gate));
    const user = userEvent.setup();
    const view = renderWithClient(<Wizard />);
    await fillToResults(user);
    await user.click((await screen.findAllByTestId("hold-button"))[0]!);
    await screen.findByTestId("hold-countdown");
    view.unmount();
    expect(callsTo(calls, "release_hold")).toEqual([{ referralId: "r-new" }]);
  });

  it("shows a slot-taken refusal as the organisation's sentence, stays on the results and offers to search again", async () => {
    const gate = deferred();
    gate.resolve();
    const calls = mockBackend(
      handlers(gate, {
        hold_slot: () => {
          throw {
            code: "slot_taken",
            message:
              "Napa Valley Clinic did not accept the hold or booking: that appointment time is probably no longer available. The organisation said: “Slot is busy”",
          };
        },
      }),
    );
    const user = userEvent.setup();
    renderWithClient(<Wizard />);
    await fillToResults(user);
    await user.click((await screen.findAllByTestId("hold-button"))[0]!);
    const banner = await screen.findByTestId("error-banner");
    expect(banner).toHaveAttribute("data-code", "slot_taken");
    expect(banner).toHaveTextContent("“Slot is busy”");
    expect(screen.getByTestId("wizard-step-results")).toBeInTheDocument();
    const searches = callsTo(calls, "find_slots").length;
    await user.click(screen.getByTestId("error-action"));
    await waitFor(() => expect(callsTo(calls, "find_slots").length).toBe(searches + 1));
  });

  it("retries a hold when the organisation could not be reached, and goes on to booking", async () => {
    const gate = deferred();
    gate.resolve();
    let attempts = 0;
    const ok = handlers(gate).hold_slot!;
    mockBackend(
      handlers(gate, {
        hold_slot: (req, ctx) => {
          attempts += 1;
          if (attempts === 1)
            throw {
              code: "unreachable",
              message: "Napa Valley Clinic could not be reached. Check the connection and try again later.",
            };
          return ok(req, ctx);
        },
      }),
    );
    const user = userEvent.setup();
    renderWithClient(<Wizard />);
    await fillToResults(user);
    await user.click((await screen.findAllByTestId("hold-button"))[0]!);
    const action = await screen.findByTestId("error-action");
    expect(action).toHaveAttribute("data-action", "retry");
    await user.click(action);
    expect(await screen.findByTestId("wizard-step-book")).toBeInTheDocument();
    expect(attempts).toBe(2);
  });

  it("takes a refused coverage back to the patient step, where coverage is entered", async () => {
    const gate = deferred();
    gate.resolve();
    mockBackend(
      handlers(gate, {
        hold_slot: () => {
          throw {
            code: "coverage_refused",
            message:
              "Napa Valley Clinic did not accept the patient's coverage. Check the coverage details and try again.",
          };
        },
      }),
    );
    const user = userEvent.setup();
    renderWithClient(<Wizard />);
    await fillToResults(user);
    await user.click((await screen.findAllByTestId("hold-button"))[0]!);
    const banner = await screen.findByTestId("error-banner");
    expect(banner).not.toHaveTextContent("probably no longer available");
    const action = screen.getByTestId("error-action");
    expect(action).toHaveAttribute("data-action", "fix_coverage");
    await user.click(action);
    expect(await screen.findByTestId("wizard-step-patient")).toBeInTheDocument();
  });

  it("does not leave the patient step while required fields are missing", async () => {
    const gate = deferred();
    const calls = mockBackend(handlers(gate));
    const user = userEvent.setup();
    renderWithClient(<Wizard />);
    await screen.findByTestId("wizard-step-patient");
    await user.click(screen.getByTestId("wizard-next"));
    expect(screen.getByTestId("wizard-problems")).toHaveTextContent("Family name: enter the patient’s family name.");
    expect(screen.getByTestId("wizard-step-patient")).toBeInTheDocument();
    expect(callsTo(calls, "create_referral")).toEqual([]);
  });

  it("holds a time chosen in the week view with the keyboard, then books it like the list does", async () => {
    const gate = deferred();
    gate.resolve();
    const calls = mockBackend(handlers(gate));
    const user = userEvent.setup();
    renderWithClient(<Wizard />);
    await fillToResults(user, "2026-12-01");
    await waitFor(() => expect(screen.getByTestId("find-results")).toHaveAttribute("data-finished", "true"));

    await user.click(screen.getByRole("radio", { name: "Week" }));
    const grid = await screen.findByRole("grid");
    expect(
      within(grid)
        .getAllByRole("rowheader")
        .map((h) => h.textContent),
    ).toEqual([ORG_A.name, ORG_B.name]);
    const first = within(grid)
      .getAllByRole("button")
      .find((b) => b.tabIndex === 0);
    expect(first).toHaveAttribute("data-option-id", EARLY.optionId);
    first?.focus();
    await user.keyboard("{Enter}");
    expect(await screen.findByTestId("hold-countdown")).toBeInTheDocument();
    expect(callsTo(calls, "hold_slot")).toEqual([{ referralId: "r-new", optionId: "a-early" }]);
    await user.click(screen.getByTestId("book-button"));
    expect(await screen.findByTestId("confirmation")).toHaveTextContent("Napa Valley Clinic");
  }, 20_000);
});
