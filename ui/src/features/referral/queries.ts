// One referral: detail with its timeline, cancel and reschedule, and finishing it from there
// (search again, hold, release, re-check and settle).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import type { CancelReferralRequest } from "../../ipc/bindings/CancelReferralRequest";
import type { HoldSlotRequest } from "../../ipc/bindings/HoldSlotRequest";
import type { RescheduleReferralRequest } from "../../ipc/bindings/RescheduleReferralRequest";
import type { ResumeReferralRequest } from "../../ipc/bindings/ResumeReferralRequest";
import type { SettleReferralRequest } from "../../ipc/bindings/SettleReferralRequest";
import { call, resumeReferral } from "../../ipc/client";
import { useStreamedSearch } from "../wizard/queries";

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

/** Searching again from the detail with the referral's stored inputs (`resume_referral`). */
export function useResumeSearch() {
  const streamed = useStreamedSearch();
  const qc = useQueryClient();
  const { start } = streamed;
  const run = useCallback(
    async (req: ResumeReferralRequest, orgs: { id: string; name: string }[]) => {
      await start(orgs, (p) => resumeReferral(req, p));
      // A failed referral is searching again now.
      await qc.invalidateQueries();
    },
    [start, qc],
  );
  return { ...streamed, run };
}

/** Hold a time from the detail; the detail re-reads the referral (now held). */
export function useHoldFromDetail() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (req: HoldSlotRequest) => call("hold_slot", req),
    onSettled: () => qc.invalidateQueries(),
  });
}

export function useReleaseFromDetail() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (referralId: string) => call("release_hold", { referralId }),
    onSettled: () => qc.invalidateQueries(),
  });
}

export function useRecheckReferral() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (referralId: string) => call("recheck_referral", { referralId }),
    // The check is in the timeline now.
    onSettled: () => qc.invalidateQueries({ queryKey: ["referral"] }),
  });
}

export function useSettleReferral() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (req: SettleReferralRequest) => call("settle_referral", req),
    onSettled: () => qc.invalidateQueries(),
  });
}
