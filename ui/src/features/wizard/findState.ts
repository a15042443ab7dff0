// Folds find_slots progress messages into per-organisation state and one earliest-first list.
import type { ApiError } from "../../ipc/bindings/ApiError";
import type { FindProgress } from "../../ipc/bindings/FindProgress";
import type { FindState } from "../../ipc/bindings/FindState";
import type { SlotOption } from "../../ipc/bindings/SlotOption";

export interface OrgProgress {
  organisationId: string;
  organisationName: string;
  state: FindState;
  options: SlotOption[];
  error: ApiError | null;
}

export interface SearchState {
  searchId: string | null;
  /** In the order organisations were first heard of. */
  orgs: OrgProgress[];
}

export const EMPTY_SEARCH: SearchState = { searchId: null, orgs: [] };

/** Seeds every chosen organisation as pending before any answer arrives. */
export function startSearch(orgs: { id: string; name: string }[]): SearchState {
  return {
    searchId: null,
    orgs: orgs.map((o) => ({
      organisationId: o.id,
      organisationName: o.name,
      state: "pending",
      options: [],
      error: null,
    })),
  };
}

export function applyProgress(state: SearchState, p: FindProgress): SearchState {
  if (state.searchId !== null && p.searchId !== state.searchId) return state;
  const entry: OrgProgress = {
    organisationId: p.organisationId,
    organisationName: p.organisationName,
    state: p.state,
    options: byStart(p.options),
    error: p.error,
  };
  const known = state.orgs.some((o) => o.organisationId === p.organisationId);
  const orgs = known
    ? state.orgs.map((o) => (o.organisationId === p.organisationId ? entry : o))
    : [...state.orgs, entry];
  return { searchId: p.searchId, orgs };
}

export function byStart(options: readonly SlotOption[]): SlotOption[] {
  return [...options].sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
}

/** Every option from every organisation that answered, earliest first. */
export function allOptions(state: SearchState): SlotOption[] {
  return byStart(state.orgs.flatMap((o) => o.options));
}

export function isFinished(state: SearchState): boolean {
  return state.orgs.length > 0 && state.orgs.every((o) => o.state !== "pending");
}

/** Same organisation, start and practitioner: the same time, even under a new option id. */
export function optionKey(o: SlotOption): string {
  return `${o.organisationId}|${o.start}|${o.practitionerId ?? o.practitioner ?? ""}`;
}

/**
 * Folds a "more times" answer into the results already shown: an organisation's new times are
 * added after its earlier ones, none repeated; a failure keeps what it had shown.
 */
export function appendProgress(state: SearchState, p: FindProgress): SearchState {
  if (p.state !== "done") return state;
  const orgs = state.orgs.map((o) => {
    if (o.organisationId !== p.organisationId) return o;
    const seen = new Set(o.options.map(optionKey));
    const fresh = p.options.filter((x) => !seen.has(optionKey(x)));
    return { ...o, options: byStart([...o.options, ...fresh]) };
  });
  return { ...state, orgs };
}

/**
 * Where "more times" starts: the earliest of each answering organisation's last time, so no
 * organisation's later times are skipped (repeats from the others are dropped on arrival).
 */
export function moreAfter(state: SearchState): string | null {
  const lasts = state.orgs
    .filter((o) => o.state === "done" && o.options.length > 0)
    .map((o) => Math.max(...o.options.map((x) => Date.parse(x.start))));
  if (lasts.length === 0) return null;
  return new Date(Math.min(...lasts)).toISOString();
}
