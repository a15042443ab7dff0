// App status, the first-run sandbox setup, and the start-up handshake with the shell.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { call, onStartedUp, reportUiReady } from "../../ipc/client";

export function useAppStatus() {
  return useQuery({ queryKey: ["status"], queryFn: () => call("app_status", {}) });
}

export function useSetupSandbox() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => call("setup_sandbox", {}),
    onSuccess: () => qc.invalidateQueries(),
  });
}

/**
 * Once `shown` (the first screen is on the page), reports to the shell after the next paint, so
 * its start-up duties begin only then; when start-up has run, everything is read again (the
 * sandbox organisations run now, recovery may have changed referrals).
 */
export function useStartUpHandshake(shown: boolean) {
  const qc = useQueryClient();
  useEffect(() => {
    let stop = () => {};
    let live = true;
    void onStartedUp(() => void qc.invalidateQueries()).then((unlisten) => {
      if (live) stop = unlisten;
      else unlisten();
    });
    return () => {
      live = false;
      stop();
    };
  }, [qc]);
  useEffect(() => {
    if (!shown) return;
    // requestAnimationFrame runs just before the paint; the timeout queued in it runs after.
    const frame = requestAnimationFrame(() => window.setTimeout(() => void reportUiReady(), 0));
    return () => cancelAnimationFrame(frame);
  }, [shown]);
}
