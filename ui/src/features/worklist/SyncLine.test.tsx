import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { StatusBadge } from "../../components/StatusBadge";
import { callsTo, mockBackend, renderWithClient } from "../../test/backend";
import { SyncLine, syncWords } from "./SyncLine";

describe("SyncLine", () => {
  it("says when the desk last checked, and that it is offline when the last sync failed", () => {
    const at = "2026-11-30T10:42:00Z";
    expect(syncWords({ lastSyncedAt: at, offline: false, changes: [] })).toMatch(
      /^Last checked with the organisations /,
    );
    expect(syncWords({ lastSyncedAt: at, offline: true, changes: [] })).toMatch(/^Offline — last checked /);
    expect(syncWords(undefined)).toBe("Not checked with the organisations yet");
  });

  it("Refresh syncs now and shows each change the organisations made", async () => {
    const calls = mockBackend({
      sync_status: () => ({ offline: false, changes: [] }),
      sync_now: () => ({
        lastSyncedAt: new Date().toISOString(),
        offline: false,
        changes: [
          {
            referralId: "r1",
            kind: "cancelled_by_organisation",
            message: "Derm cancelled the appointment of Amy Shaw.",
          },
        ],
      }),
    });
    renderWithClient(<SyncLine />);
    expect(await screen.findByText("Not checked with the organisations yet")).toBeTruthy();
    await userEvent.click(screen.getByTestId("sync-refresh"));
    const toast = await screen.findByTestId("sync-toast");
    expect(toast.textContent).toBe("Derm cancelled the appointment of Amy Shaw.");
    await waitFor(() => expect(screen.getByTestId("sync-status").textContent).toMatch(/^Last checked/));
    expect(callsTo(calls, "sync_now")).toHaveLength(1);
  });

  it("words the new status for the clinician", () => {
    renderWithClient(<StatusBadge status="cancelled_by_organisation" />);
    expect(screen.getByTestId("status-badge").textContent).toBe("Cancelled by organisation");
  });
});
