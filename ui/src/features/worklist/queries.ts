// The worklist: referrals matching a filter, refreshed while holds are counting down.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
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
