// The service step's state beyond the draft: the referring clinician filled in from the desk
// settings, the problems shown beside each field, and a field the backend refused.
import { type Dispatch, type SetStateAction, useCallback, useEffect, useState } from "react";
import { describeError } from "../../lib/errors";
import { isBlankReferrer, referrerForm } from "../../lib/referrer";
import { isoDateFromToday } from "../../lib/time";
import { useDeskSettings } from "../settings/queries";
import type { Draft } from "./draft";
import { type FieldProblems, serviceFieldOf, serviceFieldProblems } from "./serviceChecks";

export interface ServiceContent {
  problems: FieldProblems;
  followUpDays: number | null;
  /** Shows an `invalid_input` for a service field beside it; false when the error is not one. */
  refuse: (error: unknown) => boolean;
  clearRefused: () => void;
}

/** `strict`: the user pressed Next, so missing fields are named too. */
export function useServiceContent(draft: Draft, setDraft: Dispatch<SetStateAction<Draft>>, strict: boolean) {
  const settings = useDeskSettings();
  const [refused, setRefused] = useState<FieldProblems>({});
  const stored = settings.data?.referrer;

  // The desk's referrer fills a blank form once it is read; what the user typed is never replaced.
  useEffect(() => {
    if (stored) setDraft((d) => (isBlankReferrer(d.referrer) ? { ...d, referrer: referrerForm(stored) } : d));
  }, [stored, setDraft]);

  const refuse = useCallback((error: unknown) => {
    const shown = describeError(error);
    const field = shown.code === "invalid_input" ? serviceFieldOf(shown.field) : null;
    if (!field) return false;
    setRefused({ [field]: shown.message });
    return true;
  }, []);
  const clearRefused = useCallback(() => setRefused({}), []);

  const problems = { ...serviceFieldProblems(draft, { strict, today: isoDateFromToday(0) }), ...refused };
  const followUpDays = settings.data?.followUpDays ?? null;
  return { problems, followUpDays, refuse, clearRefused } satisfies ServiceContent;
}
