// The home organisation's queue: the orders as this desk last saw them, refreshing from the home
// server, starting a referral from an order and giving an order back; and the home's settings.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { OrderFill } from "../../ipc/bindings/OrderFill";
import type { QueueView } from "../../ipc/bindings/QueueView";
import type { SaveHomeRequest } from "../../ipc/bindings/SaveHomeRequest";
import { call } from "../../ipc/client";

/** Whether a home organisation is set, and which (the worklist shows the Queue tab only then). */
export function useHome() {
  return useQuery({ queryKey: ["home"], queryFn: () => call("get_home", {}), staleTime: 60_000 });
}

export function useSaveHome() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (req: SaveHomeRequest) => call("save_home", req),
    onSuccess: (saved) => {
      qc.setQueryData(["home"], saved);
      void qc.invalidateQueries({ queryKey: ["queue"] });
    },
  });
}

/** The stored queue for one chip; re-read every 30 s so other desks' claims and leases show. */
export function useQueue(view: QueueView) {
  return useQuery({
    queryKey: ["queue", view],
    queryFn: () => call("list_queue", { view }),
    placeholderData: keepPreviousData,
    refetchInterval: 30_000,
  });
}

/** "Refresh": ask the home organisation what changed, then re-read every chip. */
export function useRefreshQueue() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => call("refresh_queue", {}),
    onSuccess: () =>
      Promise.all([qc.invalidateQueries({ queryKey: ["queue"] }), qc.invalidateQueries({ queryKey: ["home"] })]),
  });
}

/** "Work this order": claims it at home if needed and makes (or finds) its referral. A refusal
 * (another desk got there first) leaves the list as it is, so the row keeps its message until the
 * next refresh instead of leaving the chip shown with it. */
export function useStartOrder() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (req: { orderId: string; fill: OrderFill }) => call("start_order", req),
    onSuccess: () =>
      Promise.all([qc.invalidateQueries({ queryKey: ["queue"] }), qc.invalidateQueries({ queryKey: ["referrals"] })]),
  });
}

/** Gives this desk's claim back to the queue (only before the order is booked). */
export function useReleaseOrder() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (orderId: string) => call("release_order", { orderId }),
    onSettled: () => qc.invalidateQueries({ queryKey: ["queue"] }),
  });
}
