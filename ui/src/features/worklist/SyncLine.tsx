// The worklist's standing with the organisations: when it last checked (or that it is offline),
// "Refresh", and a line for each change a sync found (the in-window twin of the notification).
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { PlainButton } from "../../components/PlainButton";
import type { SyncChange } from "../../ipc/bindings/SyncChange";
import type { SyncStatus } from "../../ipc/bindings/SyncStatus";
import { onSyncChanged } from "../../ipc/client";
import { useSyncNow, useSyncStatus } from "./queries";

const clock = (iso: string) => new Date(iso).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });

export function syncWords(status: SyncStatus | undefined): string {
  const when = status?.lastSyncedAt ? clock(status.lastSyncedAt) : null;
  if (status?.offline) return when ? `Offline — last checked ${when}` : "Offline — not checked yet";
  return when ? `Last checked with the organisations ${when}` : "Not checked with the organisations yet";
}

export function SyncLine() {
  const status = useSyncStatus();
  const syncNow = useSyncNow();
  const client = useQueryClient();
  const [changes, setChanges] = useState<SyncChange[]>([]);

  useEffect(() => {
    let stop = () => {};
    let live = true;
    void onSyncChanged((s) => {
      client.setQueryData(["sync-status"], s);
      void client.invalidateQueries({ queryKey: ["referrals"] });
      setChanges((old) => [...s.changes, ...old].slice(0, 5));
    }).then((unlisten) => {
      if (live) stop = unlisten;
      else unlisten();
    });
    return () => {
      live = false;
      stop();
    };
  }, [client]);

  const refresh = () =>
    syncNow.mutate(undefined, { onSuccess: (s) => setChanges((old) => [...s.changes, ...old].slice(0, 5)) });

  return (
    <div className="sync" data-testid="sync-line">
      <p className="sync-line muted" role="status">
        <span data-testid="sync-status" data-offline={status.data?.offline ?? false}>
          {syncWords(status.data)}
        </span>
        <PlainButton data-testid="sync-refresh" isDisabled={syncNow.isPending} onPress={refresh}>
          {syncNow.isPending ? "Checking…" : "Refresh"}
        </PlainButton>
      </p>
      {changes.map((c) => (
        <p key={`${c.referralId}-${c.kind}`} className="sync-toast" data-testid="sync-toast" data-kind={c.kind}>
          {c.message}
        </p>
      ))}
    </div>
  );
}
