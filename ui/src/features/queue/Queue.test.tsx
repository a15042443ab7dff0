import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";
import type { QueueItem } from "../../ipc/bindings/QueueItem";
import type { QueueView } from "../../ipc/bindings/QueueView";
import type { StartOrderRequest } from "../../ipc/bindings/StartOrderRequest";
import { formatDate } from "../../lib/time";
import { callsTo, type Handlers, mockBackend, renderWithClient } from "../../test/backend";
import { CODES, HOME, ORG_A, queueItem, queueList } from "../../test/fixtures";
import { Worklist } from "../worklist/Worklist";

const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString();

const ITEMS: QueueItem[] = [
  queueItem(),
  queueItem({
    orderId: "sr-2",
    view: "others",
    patientName: "Tom Baker",
    what: "Dermatology",
    priority: "routine",
    owner: "ben at WS-7",
    leaseEnd: inMinutes(10),
  }),
  queueItem({
    orderId: "sr-3",
    view: "done",
    patientName: "Rosa Diaz",
    what: "MRI of the knee",
    outcome: "booked 3 Dec 09:30 at Napa Valley Clinic",
    referralId: "ref-9",
  }),
  queueItem({ orderId: "sr-4", view: "problem", patientName: "Unknown", problem: "The order names no patient." }),
];

function backend(items: QueueItem[] = ITEMS, extra: Handlers = {}) {
  return mockBackend({
    get_home: () => ({ configured: true, home: HOME }),
    list_referrals: () => ({ referrals: [], total: 0 }),
    list_organisations: () => ({ organisations: [ORG_A] }),
    code_tables: () => CODES,
    list_queue: (req) => {
      const view = req.view ?? "all";
      const shown = items.filter(
        (i) => view === "all" || i.view === view || (view === "problems" && i.view === "problem"),
      );
      return { ...queueList(items), items: shown };
    },
    refresh_queue: () => queueList(items),
    ...extra,
  });
}

async function openQueue() {
  const user = userEvent.setup();
  renderWithClient(<Worklist />);
  await user.click(await screen.findByTestId("worklist-tab-queue"));
  await screen.findAllByTestId("queue-row");
  return user;
}

const row = (orderId: string) =>
  screen.getAllByTestId("queue-row").find((r) => r.dataset.orderId === orderId) as HTMLElement;

afterEach(() => {
  window.sessionStorage.clear();
  window.location.hash = "";
});

describe("Queue tab", () => {
  it("is offered only when a home organisation is set", async () => {
    mockBackend({
      get_home: () => ({ configured: false, home: null }),
      list_referrals: () => ({ referrals: [], total: 0 }),
      list_organisations: () => ({ organisations: [] }),
    });
    renderWithClient(<Worklist />);
    await screen.findByTestId("worklist-empty");
    expect(screen.queryByTestId("worklist-tab-queue")).toBeNull();
  });

  it("lists the orders with patient, what, priority, due date, requester, and the chips' counts", async () => {
    backend();
    await openQueue();
    expect(screen.getByTestId("worklist-tab-queue")).toHaveTextContent("Orders from Riverside General");
    const first = row("sr-1");
    expect(first).toHaveAttribute("data-view", "unclaimed");
    for (const text of ["Maria Lopez", "MRN MRN-5501", "Family practice", "Urgent", "Dr. Sam Patel", "Waiting"]) {
      expect(within(first).getByText(text, { exact: false })).toBeInTheDocument();
    }
    expect(first).toHaveTextContent(formatDate("2099-12-07"));
    const counts = (v: QueueView) => screen.getByTestId(`queue-chip-${v}`).dataset.count;
    expect([counts("all"), counts("unclaimed"), counts("others"), counts("done"), counts("problems")]).toEqual([
      "4",
      "1",
      "1",
      "1",
      "1",
    ]);
    expect(counts("mine")).toBe("0");
  });

  it("shows another desk's claim with its countdown, a done order's outcome and a problem in words", async () => {
    backend();
    await openQueue();
    const others = within(row("sr-2"));
    expect(others.getByText("ben at WS-7")).toBeInTheDocument();
    expect(others.getByTestId("queue-lease")).toHaveTextContent(/claimed for (9|10):\d\d/);
    expect(others.queryByTestId("queue-work")).toBeNull();
    const done = within(row("sr-3"));
    expect(done.getByText("Done")).toBeInTheDocument();
    expect(done.getByText("booked 3 Dec 09:30 at Napa Valley Clinic")).toBeInTheDocument();
    expect(done.getByTestId("queue-open-referral")).toHaveAttribute("href", "#/referral/ref-9");
    expect(within(row("sr-4")).getByText("The order names no patient.")).toBeInTheDocument();
    expect(within(row("sr-4")).queryByTestId("queue-work")).toBeNull();
  });

  it("offers an order whose claim ran out to be taken over", async () => {
    backend([queueItem({ view: "others", owner: "ben at WS-7", leaseEnd: inMinutes(-1) })]);
    await openQueue();
    expect(within(row("sr-1")).getByTestId("queue-lease")).toHaveTextContent("claim ended");
    expect(within(row("sr-1")).getByTestId("queue-work")).toHaveTextContent("Take over this order");
  });

  it("asks the backend for the chosen chip's orders", async () => {
    const calls = backend();
    const user = await openQueue();
    await user.click(screen.getByTestId("queue-chip-done"));
    await waitFor(() => expect(screen.getAllByTestId("queue-row").map((r) => r.dataset.orderId)).toEqual(["sr-3"]));
    expect(callsTo(calls, "list_queue").at(-1)).toEqual({ view: "done" });
    expect(screen.getByTestId("queue-chip-done")).toHaveAttribute("aria-pressed", "true");
  });

  it("starts an order that lacks nothing at once and opens its referral", async () => {
    const calls = backend(ITEMS, {
      start_order: (req) => ({ referralId: "ref-42", item: queueItem({ orderId: req.orderId, view: "mine" }) }),
    });
    const user = await openQueue();
    await user.click(within(row("sr-1")).getByTestId("queue-work"));
    await waitFor(() => expect(window.location.hash).toBe("#/referral/ref-42"));
    const sent = callsTo(calls, "start_order")[0] as StartOrderRequest;
    expect(sent.orderId).toBe("sr-1");
    expect(sent.fill).toEqual({ organisationIds: [] });
  });

  it("asks for exactly what the order lacks, refuses blanks, and sends only those values", async () => {
    const lacking = queueItem({ birthDate: undefined, missing: ["birth-date", "specialty"] });
    const calls = backend([lacking], {
      start_order: () => ({ referralId: "ref-7", item: queueItem({ view: "mine" }) }),
    });
    const user = await openQueue();
    expect(within(row("sr-1")).getByTestId("queue-missing")).toHaveTextContent(
      "The order does not say: Date of birth, Specialty.",
    );
    await user.click(within(row("sr-1")).getByTestId("queue-work"));
    const form = await screen.findByTestId("work-order-form");
    const fields = within(form)
      .getAllByRole("textbox")
      .concat(within(form).getAllByRole("combobox"))
      .map((f) => f.dataset.testid);
    expect(fields.sort()).toEqual(["fill-birth-date", "fill-specialty"]);
    await user.click(within(form).getByTestId("work-order-start"));
    expect(await within(form).findByTestId("fill-birth-date-problem")).toHaveTextContent("Enter the date of birth.");
    expect(within(form).getByTestId("fill-specialty-problem")).toHaveTextContent("Choose the specialty.");
    expect(callsTo(calls, "start_order")).toHaveLength(0);

    await user.type(within(form).getByTestId("fill-birth-date"), "1958-04-02");
    await user.selectOptions(within(form).getByTestId("fill-specialty"), "394582007");
    await user.click(within(form).getByTestId("work-order-start"));
    await waitFor(() => expect(window.location.hash).toBe("#/referral/ref-7"));
    const sent = callsTo(calls, "start_order")[0] as StartOrderRequest;
    expect(sent.fill).toEqual({ birthDate: "1958-04-02", specialty: "394582007", organisationIds: [] });
  });

  it("starts a missing call-back number as the desk's own", async () => {
    const calls = backend([queueItem({ missing: ["referrer-phone"] })], {
      get_desk_settings: () => ({
        referrer: { name: "Dr. Ada Obi", npi: null, phone: "555 010 2030" },
        followUpDays: 7,
      }),
      start_order: () => ({ referralId: "ref-8", item: queueItem({ view: "mine" }) }),
    });
    const user = await openQueue();
    await user.click(within(row("sr-1")).getByTestId("queue-work"));
    await waitFor(() => expect(screen.getByTestId("fill-referrer-phone")).toHaveValue("555 010 2030"));
    await user.click(screen.getByTestId("work-order-start"));
    await waitFor(() => expect(window.location.hash).toBe("#/referral/ref-8"));
    expect((callsTo(calls, "start_order")[0] as StartOrderRequest).fill).toEqual({
      referrerPhone: "555 010 2030",
      organisationIds: [],
    });
  });

  it("tells who is working an order on that row only when another desk claimed it first", async () => {
    const calls = backend([queueItem(), queueItem({ orderId: "sr-5", patientName: "Ivy Chen" })], {
      start_order: () => {
        throw { code: "order_claimed", message: "This order is being worked by ben at WS-7 until 14:05." };
      },
    });
    const user = await openQueue();
    const listed = callsTo(calls, "list_queue").length;
    await user.click(within(row("sr-1")).getByTestId("queue-work"));
    const errors = await screen.findAllByTestId("queue-row-error");
    expect(errors).toHaveLength(1);
    expect(errors[0]).toHaveTextContent("This order is being worked by ben at WS-7 until 14:05.");
    expect(errors[0]!.closest("[data-testid=queue-row-detail]")).toHaveAttribute("data-order-id", "sr-1");
    expect(errors[0]).toHaveAttribute("data-code", "order_claimed");
    expect(window.location.hash).toBe("");
    // The list is not re-read at once: the row stays, with its message, until the next refresh.
    expect(callsTo(calls, "list_queue")).toHaveLength(listed);
  });

  it("refreshes from the home organisation by itself the first time, and on Refresh", async () => {
    const calls = backend(ITEMS, {
      list_queue: () => queueList(ITEMS, { lastRefreshed: undefined }),
    });
    const user = await openQueue();
    await waitFor(() => expect(callsTo(calls, "refresh_queue")).toHaveLength(1));
    await user.click(screen.getByTestId("queue-refresh"));
    await waitFor(() => expect(callsTo(calls, "refresh_queue")).toHaveLength(2));
  });

  it("draws the first 200 orders of a long queue and more on request", async () => {
    const many = Array.from({ length: 205 }, (_, i) => queueItem({ orderId: `sr-${i}`, patientName: `Patient ${i}` }));
    backend(many);
    const user = await openQueue();
    expect(screen.getAllByTestId("queue-row")).toHaveLength(200);
    expect(screen.getByText(/Showing 200 of 205 orders/)).toBeInTheDocument();
    await user.click(screen.getByTestId("queue-more"));
    expect(screen.getAllByTestId("queue-row")).toHaveLength(205);
    expect(screen.queryByTestId("queue-more")).toBeNull();
  });

  it("gives my claim back to the queue", async () => {
    const calls = backend([queueItem({ view: "mine", owner: HOME.deskDisplay, leaseEnd: inMinutes(12) })], {
      release_order: (req) => queueItem({ orderId: req.orderId }),
    });
    const user = await openQueue();
    expect(within(row("sr-1")).getByText("You")).toBeInTheDocument();
    await user.click(within(row("sr-1")).getByTestId("queue-release"));
    await waitFor(() => expect(callsTo(calls, "release_order")).toEqual([{ orderId: "sr-1" }]));
  });
});
