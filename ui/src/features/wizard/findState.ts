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
