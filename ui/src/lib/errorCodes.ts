// What the UI does with each error code. The codes come from the generated `ApiErrorCode` union:
// this table is a `Record` over it, so a code added or removed in Rust fails the typecheck here
// until the UI decides what the user can do about it.
import type { ApiErrorCode } from "../ipc/bindings/ApiErrorCode";

export type { ApiErrorCode };

/** The step a user can take after an error, where there is one. */
export type ErrorAction = "search_again" | "fix_patient" | "fix_coverage" | "retry" | "refresh";

export interface NextStep {
  hint: string | null;
  action: ErrorAction | null;
}

export const NEXT_STEP: Record<ApiErrorCode, NextStep> = {
  invalid_input: { hint: null, action: null },
  not_found: { hint: "Refresh the list; it may have been removed.", action: "refresh" },
  unsupported: { hint: null, action: null },
  slot_taken: { hint: "Search again and choose another time.", action: "search_again" },
  hold_expired: { hint: "Search again to pick a time.", action: "search_again" },
  patient_refused: { hint: "Go back to the patient's details, correct them and try again.", action: "fix_patient" },
  coverage_refused: {
    hint: "Correct the coverage details and try again, or go on without the coverage.",
    action: "fix_coverage",
  },
  version_conflict: { hint: "Refresh to see the organisation's current record, then try again.", action: "refresh" },
  wrong_state: { hint: "Refresh the referral to see where it stands.", action: "refresh" },
  unauthorized: {
    hint: "An administrator must register this app's key with the organisation (Settings → This app's key).",
    action: null,
  },
  unreachable: { hint: "The other organisations are unaffected; try this one again later.", action: "retry" },
  server_error: { hint: "The organisation had a problem; try again later.", action: "retry" },
  needs_attention: { hint: "The referral is marked “Needs attention” in the worklist.", action: null },
  local_failure: { hint: null, action: null },
  // The queue's orders from the home organisation: the message names who or what; the row says it.
  order_claimed: { hint: "Choose another order; this one comes back to the queue if they let it go.", action: null },
  order_finished: { hint: "Refresh the queue to see how it ended.", action: "refresh" },
  order_withdrawn: { hint: "Refresh the queue; the order is no longer there to work.", action: "refresh" },
  order_incomplete: { hint: null, action: null },
  // The message itself says where the home organisation is set.
  home_not_set: { hint: null, action: null },
};

/** Whether `code` is one of the shell's codes (an unknown one is treated as our own failure). */
export function isApiErrorCode(code: unknown): code is ApiErrorCode {
  return typeof code === "string" && Object.hasOwn(NEXT_STEP, code);
}
