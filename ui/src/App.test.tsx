import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { App } from "./App";
import type { AppStatus } from "./ipc/bindings/AppStatus";
import { callsTo, mockBackend, renderWithClient } from "./test/backend";
import { CODES, ORG_A, referral } from "./test/fixtures";

const status = (over: Partial<AppStatus>): AppStatus => ({
  firstRun: false,
  organisationCount: 1,
  sandboxRunning: true,
  keyPresent: true,
  needsAttentionCount: 0,
  appVersion: "0.1.0",
  ...over,
});

describe("App", () => {
  it("on first run offers sandbox organisations, sets them up, and lands on the worklist", async () => {
    let firstRun = true;
    const calls = mockBackend({
      app_status: () => status({ firstRun, organisationCount: firstRun ? 0 : 2 }),
      setup_sandbox: () => {
        firstRun = false;
        return { organisations: [ORG_A] };
      },
      list_referrals: () => ({ referrals: [], total: 0 }),
      list_organisations: () => ({ organisations: [ORG_A] }),
    });
    const user = userEvent.setup();
    renderWithClient(<App />);
    await user.click(await screen.findByTestId("first-run-sandbox"));
    expect(await screen.findByTestId("worklist")).toBeInTheDocument();
    expect(screen.getByTestId("worklist-empty")).toBeInTheDocument();
    expect(callsTo(calls, "setup_sandbox")).toEqual([{}]);
  });

  it("shows a failed sandbox setup as a sentence and stays on the first-run screen", async () => {
    mockBackend({
      app_status: () => status({ firstRun: true }),
      setup_sandbox: () => {
        throw {
          code: "local_failure",
          message:
            "The sandbox organisations could not start: port in use. Close other copies of Referral Desk and try again.",
        };
      },
    });
    const user = userEvent.setup();
    renderWithClient(<App />);
    await user.click(await screen.findByTestId("first-run-sandbox"));
    expect(await screen.findByTestId("error-banner")).toHaveTextContent("could not start: port in use");
    expect(screen.getByTestId("first-run")).toBeInTheDocument();
  });

  it("N opens a new referral, Esc goes back, / focuses the worklist search", async () => {
    mockBackend({
      app_status: () => status({}),
      list_referrals: () => ({ referrals: [referral()], total: 1 }),
      list_organisations: () => ({ organisations: [ORG_A] }),
      code_tables: () => CODES,
    });
    const user = userEvent.setup();
    renderWithClient(<App />);
    await screen.findAllByTestId("worklist-row");
    await user.keyboard("n");
    // The wizard is loaded lazily: on a busy machine its first import takes over a second.
    expect(await screen.findByTestId("wizard", {}, { timeout: 10_000 })).toBeInTheDocument();
    await user.keyboard("{Escape}");
    await screen.findByTestId("worklist");
    await user.keyboard("/");
    await waitFor(() => expect(screen.getByTestId("worklist-search")).toHaveFocus());
    await user.keyboard("n");
    expect(screen.getByTestId("worklist-search")).toHaveValue("n");
    expect(screen.queryByTestId("wizard")).toBeNull();
  });

  it("toggles light and dark themes over the system default", async () => {
    mockBackend({
      app_status: () => status({}),
      list_referrals: () => ({ referrals: [], total: 0 }),
      list_organisations: () => ({ organisations: [] }),
    });
    const user = userEvent.setup();
    renderWithClient(<App />);
    const toggle = await screen.findByTestId("theme-toggle");
    expect(document.documentElement.dataset.theme).toBeUndefined();
    await user.click(toggle);
    expect(document.documentElement.dataset.theme).toBe("light");
    await user.click(toggle);
    expect(document.documentElement.dataset.theme).toBe("dark");
    await user.click(toggle);
    expect(document.documentElement.dataset.theme).toBeUndefined();
  });
});
