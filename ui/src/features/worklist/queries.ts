// The worklist: referrals matching a filter, refreshed while holds are counting down.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ListReferralsRequest } from "../../ipc/bindings/ListReferralsRequest";
import { call } from "../../ipc/client";

export function useReferrals(filter: ListReferralsRequest) {
  return useQuery({
    queryKey: ["referrals", filter],
    queryFn: () => call("list_referrals", filter),
    placeholderData: keepPreviousData,
    // Holds expire on the organisation's clock: re-read every 30 s while any is shown.
    refetchInterval: (q) => (q.state.data?.referrals.some((r) => r.status === "held") ? 30_000 : false),
  });
}

/** How the last sync with the organisations went (the header line); re-read every minute. */
export function useSyncStatus() {
  return useQuery({
    queryKey: ["sync-status"],
    queryFn: () => call("sync_status", {}),
    refetchInterval: 60_000,
  });
}

/** "Refresh": sync with the organisations now, then re-read the worklist. */
export function useSyncNow() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => call("sync_now", {}),
    onSuccess: (status) => {
      client.setQueryData(["sync-status"], status);
      void client.invalidateQueries({ queryKey: ["referrals"] });
    },
  });
}
