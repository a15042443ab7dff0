// The start-up handshake with the shell: "ui-ready" only once the first screen is shown (after its
// paint), and everything read again when the shell says start-up has run.
import { QueryClient, QueryClientProvider, useQuery } from "@tanstack/react-query";
import { emit, listen } from "@tauri-apps/api/event";
import { mockIPC } from "@tauri-apps/api/mocks";
import { act, render, screen, waitFor } from "@testing-library/react";
import { createElement } from "react";
import { describe, expect, it } from "vitest";
import { STARTED_UP_EVENT, UI_READY_EVENT } from "../../ipc/client";
import { useStartUpHandshake } from "./queries";

function Probe({ shown }: { shown: boolean }) {
  useStartUpHandshake(shown);
  const status = useQuery({ queryKey: ["status"], queryFn: () => Promise.resolve("read") });
  return createElement("p", null, status.data ?? "reading");
}

/** A fake shell listening for ui-ready (listen/emit mocked in the page). */
async function recordEmits(): Promise<string[]> {
  const emitted: string[] = [];
  mockIPC(() => undefined, { shouldMockEvents: true });
  await listen(UI_READY_EVENT, (e) => emitted.push(e.event));
  return emitted;
}

const animationFrame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));

describe("start-up handshake", () => {
  it("reports ui-ready once the first screen is shown and painted, not before", async () => {
    const emitted = await recordEmits();
    const client = new QueryClient();
    const { rerender } = render(createElement(QueryClientProvider, { client }, createElement(Probe, { shown: false })));
    await act(animationFrame);
    expect(emitted).not.toContain(UI_READY_EVENT);
    rerender(createElement(QueryClientProvider, { client }, createElement(Probe, { shown: true })));
    await waitFor(() => expect(emitted).toEqual([UI_READY_EVENT]));
  });

  it("reads everything again when the shell reports start-up done", async () => {
    await recordEmits();
    const client = new QueryClient();
    render(createElement(QueryClientProvider, { client }, createElement(Probe, { shown: true })));
    await screen.findByText("read");
    const before = client.getQueryState(["status"])?.dataUpdateCount ?? 0;
    await act(() => emit(STARTED_UP_EVENT));
    await waitFor(() => expect(client.getQueryState(["status"])?.dataUpdateCount).toBeGreaterThan(before));
  });
});
