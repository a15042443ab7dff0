// One referral: detail with its timeline, cancel and reschedule.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { CancelReferralRequest } from "../../ipc/bindings/CancelReferralRequest";
import type { RescheduleReferralRequest } from "../../ipc/bindings/RescheduleReferralRequest";
import { call } from "../../ipc/client";

export function useReferral(id: string) {
  return useQuery({ queryKey: ["referral", id], queryFn: () => call("get_referral", { id }) });
}

export function useCancelReferral() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (req: CancelReferralRequest) => call("cancel_referral", req),
    onSettled: () => qc.invalidateQueries(),
  });
}

export function useRescheduleReferral() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (req: RescheduleReferralRequest) => call("reschedule_referral", req),
    onSettled: () => qc.invalidateQueries(),
  });
}
