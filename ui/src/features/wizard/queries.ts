// Hooks for the new-referral wizard (also used by reschedule): code tables, patients, the
// draft, the streamed search, hold / release / book, and the .ics export.

import { keepPreviousData, useMutation, useQueries, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useRef, useState } from "react";
import type { BookSlotRequest } from "../../ipc/bindings/BookSlotRequest";
import type { CoverageInput } from "../../ipc/bindings/CoverageInput";
import type { CoverageSaved } from "../../ipc/bindings/CoverageSaved";
import type { CreateReferralRequest } from "../../ipc/bindings/CreateReferralRequest";
import type { FindProgress } from "../../ipc/bindings/FindProgress";
import type { FindSlotsRequest } from "../../ipc/bindings/FindSlotsRequest";
import type { FindSummary } from "../../ipc/bindings/FindSummary";
import type { HoldSlotRequest } from "../../ipc/bindings/HoldSlotRequest";
import type { MatchPatientRequest } from "../../ipc/bindings/MatchPatientRequest";
import type { PatientLink } from "../../ipc/bindings/PatientLink";
import type { RegisterPatientRequest } from "../../ipc/bindings/RegisterPatientRequest";
import type { SearchPatientsRequest } from "../../ipc/bindings/SearchPatientsRequest";
import { call, findSlots } from "../../ipc/client";
import { appendProgress, applyProgress, EMPTY_SEARCH, type SearchState, startSearch } from "./findState";

/** An organisation's practitioners and locations, read once per session (`list_directory`). */
export function useDirectories(organisationIds: readonly string[]) {
  return useQueries({
    queries: organisationIds.map((organisationId) => ({
      queryKey: ["directory", organisationId],
      queryFn: () => call("list_directory", { organisationId }),
      staleTime: Infinity,
      retry: false,
    })),
  });
}

export function useCodeTables() {
  return useQuery({ queryKey: ["codes"], queryFn: () => call("code_tables", {}), staleTime: Infinity });
}

export function useSearchPatients() {
  return useMutation({ mutationFn: (req: SearchPatientsRequest) => call("search_patients", req) });
}

export function useMatchPatients() {
  return useMutation({ mutationFn: (req: MatchPatientRequest) => call("match_patient", req) });
}

/** Adds the coverage for a patient the organisation knows, or updates the one saved before
 * (with its version, for If-Match). */
export function useSaveCoverage() {
  return useMutation({
    mutationFn: ({
      link,
      coverage,
      saved,
    }: {
      link: PatientLink;
      coverage: CoverageInput;
      saved: CoverageSaved | null;
    }) =>
      saved
        ? call("update_coverage", {
            organisationId: link.organisationId,
            patientId: link.patientId,
            coverageId: saved.coverageId,
            version: saved.version,
            coverage,
          })
        : call("add_coverage", { organisationId: link.organisationId, patientId: link.patientId, coverage }),
  });
}

export function useRegisterPatient() {
  return useMutation({ mutationFn: (req: RegisterPatientRequest) => call("register_patient", req) });
}

export function useCreateReferral() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (req: CreateReferralRequest) => call("create_referral", req),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["referrals"] }),
  });
}

export interface FindSlots {
  search: SearchState;
  summary: FindSummary | null;
  error: unknown;
  running: boolean;
  run: (req: FindSlotsRequest, orgs: { id: string; name: string }[]) => Promise<void>;
  /** "More times": the same search after `req.after`, added to what is shown. */
  more: (req: FindSlotsRequest) => Promise<void>;
  reset: () => void;
}

/** Runs find_slots; progress from a superseded search is ignored. */
export function useFindSlots(): FindSlots {
  const streamed = useStreamedSearch();
  const { start, extend } = streamed;
  const run = useCallback(
    (req: FindSlotsRequest, orgs: { id: string; name: string }[]) => start(orgs, (p) => findSlots(req, p)),
    [start],
  );
  const more = useCallback((req: FindSlotsRequest) => extend((p) => findSlots(req, p)), [extend]);
  return { ...streamed, run, more };
}

/** A search whose progress streams in (find_slots, or resume_referral from the detail). */
export interface StreamedSearch extends Omit<FindSlots, "run" | "more"> {
  /** Runs a follow-up search whose answers are added to the shown results. */
  extend: (go: StreamedSearchRun) => Promise<void>;
  start: (
    orgs: { id: string; name: string }[],
    go: (onProgress: (p: FindProgress) => void) => Promise<FindSummary>,
  ) => Promise<void>;
}

export function useStreamedSearch(): StreamedSearch {
  const [search, setSearch] = useState<SearchState>(EMPTY_SEARCH);
  const [summary, setSummary] = useState<FindSummary | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [running, setRunning] = useState(false);
  const generation = useRef(0);

  const start = useCallback(async (orgs: { id: string; name: string }[], go: StreamedSearchRun) => {
    const mine = ++generation.current;
    setSearch(startSearch(orgs));
    setSummary(null);
    setError(null);
    setRunning(true);
    try {
      const result = await go((p) => {
        if (generation.current === mine) setSearch((s) => applyProgress(s, p));
      });
      if (generation.current === mine) setSummary(result);
    } catch (e) {
      if (generation.current === mine) setError(e);
    } finally {
      if (generation.current === mine) setRunning(false);
    }
  }, []);

  const extend = useCallback(async (go: StreamedSearchRun) => {
    const mine = ++generation.current;
    setError(null);
    setRunning(true);
    try {
      await go((p) => {
        if (generation.current === mine) setSearch((s) => appendProgress(s, p));
      });
    } catch (e) {
      if (generation.current === mine) setError(e);
    } finally {
      if (generation.current === mine) setRunning(false);
    }
  }, []);

  const reset = useCallback(() => {
    generation.current++;
    setSearch(EMPTY_SEARCH);
    setSummary(null);
    setError(null);
    setRunning(false);
  }, []);

  return { search, summary, error, running, start, extend, reset };
}

type StreamedSearchRun = (onProgress: (p: FindProgress) => void) => Promise<FindSummary>;

export function useHoldSlot() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (req: HoldSlotRequest) => call("hold_slot", req),
    onSettled: () => qc.invalidateQueries({ queryKey: ["referrals"] }),
  });
}

/** Releases a hold; used on back-out and when the wizard closes (fire and forget). */
export function releaseHold(referralId: string) {
  return call("release_hold", { referralId });
}

export function useBookSlot() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (req: BookSlotRequest) => call("book_slot", req),
    onSettled: () => qc.invalidateQueries(),
  });
}

/** The exact comment `book_slot` will send, for the referral and the user's extra words. */
export function useBookingPreview(referralId: string, comment: string) {
  return useQuery({
    queryKey: ["booking-preview", referralId, comment],
    queryFn: () => call("preview_booking", { referralId, comment: comment.trim() || null }),
    placeholderData: keepPreviousData,
    retry: false,
  });
}

export function useExportIcs() {
  return useMutation({ mutationFn: (referralId: string) => call("export_ics", { referralId }) });
}
