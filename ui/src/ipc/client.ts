// The one file that talks to the Tauri shell: typed command calls, the find progress channel,
// and the preferences store. Components never import this directly; feature hooks do.
import { Channel, invoke } from "@tauri-apps/api/core";
import { emit, listen } from "@tauri-apps/api/event";
import { load, type Store } from "@tauri-apps/plugin-store";
import { isApiErrorCode } from "../lib/errorCodes";
import type { ApiErrorCode } from "./bindings/ApiErrorCode";
import type { ApiError, CommandName, Commands, FindProgress } from "./bindings/commands";
import type { FindSlotsRequest } from "./bindings/FindSlotsRequest";
import type { FindSummary } from "./bindings/FindSummary";
import type { ResumeReferralRequest } from "./bindings/ResumeReferralRequest";
import type { SyncStatus } from "./bindings/SyncStatus";

export type { ApiError, CommandName, Commands, FindProgress };

/** A failed command, carrying the shell's `ApiError`. */
export class ApiCallError extends Error {
  readonly code: ApiErrorCode;
  readonly field: string | null;
  readonly oauthError: string | null;
  constructor(error: ApiError) {
    super(error.message);
    this.name = "ApiCallError";
    this.code = error.code;
    this.field = error.field ?? null;
    this.oauthError = error.oauthError ?? null;
  }
}

const optional = (v: unknown) => (typeof v === "string" ? v : undefined);

/** Turns whatever a rejected invoke produced into an ApiCallError (never a raw object). */
export function toApiCallError(raw: unknown): ApiCallError {
  if (raw instanceof ApiCallError) return raw;
  if (raw && typeof raw === "object" && "code" in raw && "message" in raw) {
    const { code, message, field, oauthError } = raw as Record<string, unknown>;
    if (typeof message === "string" && isApiErrorCode(code)) {
      return new ApiCallError({ code, message, field: optional(field), oauthError: optional(oauthError) });
    }
  }
  return new ApiCallError({
    code: "local_failure",
    message: "Referral Desk could not complete that action. Try again; if it persists, contact support.",
  });
}

/** Invokes one declared command with its one request struct. */
export async function call<K extends CommandName>(
  name: K,
  request: Commands[K]["request"],
): Promise<Commands[K]["result"]> {
  try {
    return await invoke<Commands[K]["result"]>(name, { request });
  } catch (raw) {
    throw toApiCallError(raw);
  }
}

/** `find_slots`, with each organisation's progress delivered to `onProgress` as it arrives. */
export function findSlots(request: FindSlotsRequest, onProgress: (progress: FindProgress) => void) {
  return streamedSearch("find_slots", request, onProgress);
}

/** `resume_referral`: the referral's own search again, progress as in `findSlots`. */
export function resumeReferral(request: ResumeReferralRequest, onProgress: (progress: FindProgress) => void) {
  return streamedSearch("resume_referral", request, onProgress);
}

async function streamedSearch(
  name: "find_slots" | "resume_referral",
  request: FindSlotsRequest | ResumeReferralRequest,
  onProgress: (progress: FindProgress) => void,
): Promise<FindSummary> {
  const channel = new Channel<FindProgress>(onProgress);
  try {
    return await invoke<FindSummary>(name, { request, onProgress: channel });
  } catch (raw) {
    throw toApiCallError(raw);
  }
}

export type ThemePreference = "system" | "light" | "dark";
const PREFERENCES_FILE = "preferences.json";
/** Where the shell says the profile keeps the preferences (`PREFERENCES_FILE_GLOBAL` in
 * src-tauri/src/data_dir.rs), so `--data-dir` moves them too. */
const PREFERENCES_FILE_GLOBAL = "__REFDESK_PREFERENCES_FILE__";
let store: Promise<Store> | null = null;

/** The profile's preferences file as the shell names it; else the store's default place (the
 * platform's app data directory), e.g. when the profile's path could not be handed over. */
export function preferencesFile(): string {
  const given: unknown = Reflect.get(globalThis, PREFERENCES_FILE_GLOBAL);
  return typeof given === "string" && given.length > 0 ? given : PREFERENCES_FILE;
}

function preferences(): Promise<Store> {
  store ??= load(preferencesFile(), { defaults: {}, autoSave: true });
  return store;
}

/** The theme preference; preferences hold the theme only, never secrets or patient data. */
export async function loadTheme(): Promise<ThemePreference> {
  try {
    const value = await (await preferences()).get<string>("theme");
    return value === "light" || value === "dark" ? value : "system";
  } catch {
    return "system";
  }
}

export async function saveTheme(theme: ThemePreference): Promise<void> {
  try {
    await (await preferences()).set("theme", theme);
  } catch {
    // A preference that cannot be saved only costs the choice at next start.
  }
}

/** The shell's event after a background sync changed referrals (the notification's twin). */
export const SYNC_CHANGED_EVENT = "sync-changed";

/** Calls `onChange` with each background sync's result that changed something; returns the
 * unsubscribe. Outside the shell (tests, demo) there is no event bus: nothing is delivered. */
export async function onSyncChanged(onChange: (status: SyncStatus) => void): Promise<() => void> {
  try {
    return await listen<SyncStatus>(SYNC_CHANGED_EVENT, (e) => onChange(e.payload));
  } catch {
    return () => {};
  }
}

/** The event telling the shell that the first screen has painted: it then runs its start-up
 * duties (sandbox organisations, recovery, the first sync), which would otherwise compete with
 * the webview's start (`UI_READY_EVENT` in src-tauri/src/sync_loop.rs). */
export const UI_READY_EVENT = "ui-ready";

/** The shell's event once start-up has run (`STARTED_UP_EVENT` in src-tauri/src/sync_loop.rs). */
export const STARTED_UP_EVENT = "started-up";

/** Tells the shell the first screen has painted. Outside the shell nothing listens. */
export async function reportUiReady(): Promise<void> {
  try {
    await emit(UI_READY_EVENT);
  } catch {
    // Outside the shell (tests, demo); inside it the shell starts up after a short wait anyway.
  }
}

/** Calls `onStarted` once the shell's start-up has run; returns the unsubscribe. */
export async function onStartedUp(onStarted: () => void): Promise<() => void> {
  try {
    return await listen(STARTED_UP_EVENT, () => onStarted());
  } catch {
    return () => {};
  }
}
