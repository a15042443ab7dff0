// What the user reads when something fails: the shell's sentence, plus what to do next where
// the error code says the next step (the UI branches on the code, never on text).
import { toApiCallError } from "../ipc/client";
import { type ApiErrorCode, type ErrorAction, NEXT_STEP } from "./errorCodes";

export type { ErrorAction };

export interface ShownError {
  code: ApiErrorCode;
  message: string;
  hint: string | null;
  action: ErrorAction | null;
  /** `invalid_input`: the request field at fault. */
  field: string | null;
}

export function describeError(error: unknown): ShownError {
  const e = toApiCallError(error);
  const next = NEXT_STEP[e.code];
  return { code: e.code, message: e.message, hint: next.hint, action: next.action, field: e.field };
}

/** Labels of the buttons that take the next step. */
export const ACTION_LABELS: Record<ErrorAction, string> = {
  search_again: "Search again",
  fix_patient: "Back to the patient's details",
  fix_coverage: "Back to the coverage details",
  retry: "Try again",
  refresh: "Refresh",
};
