// What the user reads when something fails: the shell's sentence, plus what to do next
// where the error code says the next step (the UI branches on the code, never on text).
import { toApiCallError } from "../ipc/client";

export interface ShownError {
  code: string;
  message: string;
  hint: string | null;
}

const HINTS: Partial<Record<string, string>> = {
  slot_unavailable: "Choose another time from the results, or search again.",
  hold_expired: "Search again to pick a time.",
  unreachable: "The other organisations are unaffected; you can try this one again later.",
  needs_attention: "The referral is marked “Needs attention” in the worklist.",
};

export function describeError(error: unknown): ShownError {
  const e = toApiCallError(error);
  return { code: e.code, message: e.message, hint: HINTS[e.code] ?? null };
}
