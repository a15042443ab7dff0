import { fireEvent, screen, waitFor } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { callsTo, mockBackend, renderWithClient } from "../../test/backend";
import { ORG_A, ORG_B } from "../../test/fixtures";
import { emptyDraft } from "./draft";
import { SearchFilters } from "./SearchFilters";

describe("search filters", () => {
  it("fills the practitioner and location lists from each chosen organisation's directory", async () => {
    const calls = mockBackend({
      list_directory: (req) => {
        if (req.organisationId === ORG_B.id) throw { code: "unsupported", message: "No directory." };
        return {
          organisationId: ORG_A.id,
          organisationName: ORG_A.name,
          practitioners: [{ id: "pract-1", name: "Dr. Ruth Schmidt", specialties: ["Dermatology"], locationIds: [] }],
          locations: [{ id: "Location/loc-1", name: "Main clinic", address: "Madison" }],
        };
      },
    });
    const onChange = vi.fn();
    const draft = { ...emptyDraft(), organisationIds: [ORG_A.id, ORG_B.id] };
    renderWithClient(<SearchFilters draft={draft} organisations={[ORG_A, ORG_B]} onChange={onChange} />);
    const practitioner = await screen.findByRole("option", { name: /Dr\. Ruth Schmidt \(Dermatology\)/ });
    expect(practitioner.textContent).toContain(ORG_A.name);
    expect(screen.getByRole("option", { name: /Main clinic, Madison/ })).toBeTruthy();
    await waitFor(() => expect(screen.getByTestId("directory-unlisted").textContent).toContain(ORG_B.name));
    expect(callsTo(calls, "list_directory")).toHaveLength(2);

    fireEvent.change(screen.getByTestId("filter-practitioner"), { target: { value: `${ORG_A.id}|pract-1` } });
    expect(onChange).toHaveBeenCalledWith({ practitioner: `${ORG_A.id}|pract-1` });
    fireEvent.change(screen.getByTestId("filter-time-of-day"), { target: { value: "morning" } });
    expect(onChange).toHaveBeenCalledWith({ timeOfDay: "morning" });
  });

  it("offers only the chosen practitioner's places", async () => {
    mockBackend({
      list_directory: () => ({
        organisationId: ORG_A.id,
        organisationName: ORG_A.name,
        practitioners: [{ id: "pract-1", name: "Dr. Ruth Schmidt", specialties: [], locationIds: ["Location/loc-2"] }],
        locations: [
          { id: "Location/loc-1", name: "Main clinic", address: null },
          { id: "Location/loc-2", name: "East clinic", address: null },
        ],
      }),
    });
    const draft = { ...emptyDraft(), organisationIds: [ORG_A.id], practitioner: `${ORG_A.id}|pract-1` };
    renderWithClient(<SearchFilters draft={draft} organisations={[ORG_A]} onChange={vi.fn()} />);
    await screen.findByRole("option", { name: "East clinic" });
    expect(screen.queryByRole("option", { name: "Main clinic" })).toBeNull();
  });
});
