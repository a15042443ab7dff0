import { act, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { renderWithClient } from "../../test/backend";
import { ORG_A, ORG_B, option } from "../../test/fixtures";
import { FindResults } from "./FindResults";
import type { SearchState } from "./findState";

const at = (day: string, time: string) => new Date(`${day}T${time}:00`).toISOString();
const A1 = option("a-1", ORG_A, at("2026-12-01", "09:00"));
const A2 = option("a-2", ORG_A, at("2026-12-01", "11:30"));
const A3 = option("a-3", ORG_A, at("2026-12-03", "08:00"));
const B1 = option("b-1", ORG_B, at("2026-12-02", "10:00"));
const B2 = option("b-2", ORG_B, at("2026-12-09", "15:00"));

const SEARCH: SearchState = {
  searchId: "s1",
  orgs: [
    { organisationId: ORG_A.id, organisationName: ORG_A.name, state: "done", options: [A1, A2, A3], error: null },
    { organisationId: ORG_B.id, organisationName: ORG_B.name, state: "done", options: [B1, B2], error: null },
  ],
};

async function showWeek(onChoose = vi.fn(), busyOptionId: string | null = null) {
  const user = userEvent.setup();
  const view = renderWithClient(
    <FindResults
      search={SEARCH}
      actionLabel="Hold"
      busyOptionId={busyOptionId}
      onChoose={onChoose}
      windowStart="2026-12-01"
    />,
  );
  await user.click(screen.getByRole("radio", { name: "Week" }));
  const grid = await screen.findByRole("grid", { name: "Appointment times by day" });
  return { user, grid, onChoose, view };
}

const rowOf = (grid: HTMLElement, name: string) =>
  within(grid)
    .getAllByRole("row")
    .find((r) => within(r).queryByRole("rowheader", { name }) !== null);

describe("Week view of the results", () => {
  it("lays days across and organisations down, each cell its times, the earliest marked in words", async () => {
    const { grid } = await showWeek();
    const headers = within(grid).getAllByRole("columnheader");
    expect(headers).toHaveLength(8);
    expect(headers[0]).toHaveTextContent("Organisation");
    const napa = rowOf(grid, ORG_A.name);
    const sonoma = rowOf(grid, ORG_B.name);
    if (!napa || !sonoma) throw new Error("a row is missing");
    const napaCells = within(napa).getAllByRole("gridcell");
    expect(napaCells).toHaveLength(7);
    expect(
      within(napaCells[0]!)
        .getAllByRole("button")
        .map((b) => b.getAttribute("data-option-id")),
    ).toEqual(["a-1", "a-2"]);
    expect(napaCells[1]).toHaveTextContent("none");
    expect(within(napaCells[0]!).getByRole("button", { name: /earliest/ })).toHaveAttribute("data-option-id", "a-1");
    expect(within(napaCells[0]!).getAllByText(/earliest/)).toHaveLength(1);
    const sonomaEarliest = within(sonoma).getByRole("button", { name: /earliest/ });
    expect(sonomaEarliest).toHaveAttribute("data-option-id", "b-1");
    expect(sonomaEarliest).toHaveTextContent("earliest");
  });

  it("moves one focus stop with the arrow keys and holds the focused time with Enter or Space", async () => {
    const { user, grid, onChoose } = await showWeek();
    const stops = within(grid)
      .getAllByRole("button")
      .filter((b) => b.tabIndex === 0);
    expect(stops.map((b) => b.getAttribute("data-option-id"))).toEqual(["a-1"]);
    // Tab reaches the grid once, on that stop (the toolbar's buttons come before it).
    await user.click(screen.getByRole("radio", { name: "Practitioners" }));
    await user.click(screen.getByRole("radio", { name: "Organisations" }));
    await user.tab();
    expect(document.activeElement).toHaveAttribute("data-option-id", "a-1");
    await user.keyboard("{ArrowDown}");
    expect(document.activeElement).toHaveAttribute("data-option-id", "a-2");
    await user.keyboard("{ArrowDown}"); // the next row, same day: Sonoma has none on 1 Dec
    expect(document.activeElement).toHaveTextContent("none");
    expect(document.activeElement).toHaveAttribute("tabindex", "0");
    await user.keyboard("{ArrowRight}");
    expect(document.activeElement).toHaveAttribute("data-option-id", "b-1");
    await user.keyboard("{ArrowUp}{ArrowRight}");
    expect(document.activeElement).toHaveAttribute("data-option-id", "a-3");
    await user.keyboard("{ArrowLeft}{ArrowLeft}");
    expect(document.activeElement).toHaveAttribute("data-option-id", "a-1");
    expect(
      within(grid)
        .getAllByRole("button")
        .filter((b) => b.tabIndex === 0),
    ).toHaveLength(1);
    await user.keyboard("{ArrowRight}{ArrowRight}{Enter}");
    expect(onChoose).toHaveBeenLastCalledWith(A3);
    await user.keyboard("{ArrowDown}{ArrowLeft} ");
    expect(onChoose).toHaveBeenLastCalledWith(B1);
    expect(onChoose).toHaveBeenCalledTimes(2);
  });

  it("pages to the next week and back, and keeps the week view for the session", async () => {
    const { user, grid, view } = await showWeek();
    expect(within(grid).queryByRole("button", { name: /Hold: .* at Sonoma Imaging/ })).toHaveAttribute(
      "data-option-id",
      "b-1",
    );
    expect(screen.getByTestId("week-previous")).toBeDisabled();
    await user.click(screen.getByTestId("week-next"));
    expect(screen.getByTestId("week-view")).toHaveAttribute("data-start", "2026-12-08");
    const later = within(screen.getByRole("grid")).getAllByRole("button");
    expect(later.map((b) => b.getAttribute("data-option-id"))).toEqual(["b-2"]);
    expect(screen.getByTestId("week-next")).toBeDisabled();
    await user.click(screen.getByTestId("week-previous"));
    expect(screen.getByTestId("week-view")).toHaveAttribute("data-start", "2026-12-01");

    view.unmount();
    renderWithClient(<FindResults search={SEARCH} actionLabel="Hold" busyOptionId={null} onChoose={vi.fn()} />);
    expect(await screen.findByRole("grid")).toBeInTheDocument();
    expect(screen.getByRole("radio", { name: "Week" })).toBeChecked();
  });

  it("puts practitioners down when asked, and chooses nothing while a hold is under way", async () => {
    const onChoose = vi.fn();
    const { user, grid } = await showWeek(onChoose, "a-1");
    await user.click(screen.getByRole("radio", { name: "Practitioners" }));
    expect(
      within(grid)
        .getAllByRole("rowheader")
        .map((h) => h.textContent),
    ).toEqual([`Dr. Ruth Schmidt · ${ORG_A.name}`, `Dr. Ruth Schmidt · ${ORG_B.name}`]);
    expect(within(grid).getAllByRole("button", { name: /earliest/ })).toHaveLength(2);
    const busy = within(grid).getAllByRole("button")[0];
    expect(busy).toHaveTextContent("Holding…");
    await act(async () => busy?.click());
    expect(onChoose).not.toHaveBeenCalled();
  });
});
