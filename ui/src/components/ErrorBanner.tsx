// The one way errors are shown: a sentence (with the organisation's own words), a next step,
// and a button for it when the screen can take it (search again, go back a step, retry, refresh).

import { ACTION_LABELS, describeError, type ErrorAction } from "../lib/errors";
import { PlainButton } from "./PlainButton";

interface Props {
  error: unknown;
  testId?: string;
  /** What this screen does for each next step it can take (a button); others show the hint. */
  actions?: Partial<Record<ErrorAction, () => void>>;
}

export function ErrorBanner({ error, testId = "error-banner", actions }: Props) {
  if (!error) return null;
  const shown = describeError(error);
  const act = shown.action ? actions?.[shown.action] : undefined;
  return (
    <div className="error-banner" role="alert" data-testid={testId} data-code={shown.code}>
      <p>{shown.message}</p>
      {/* The button names the next step itself; the hint is for screens that cannot take it. */}
      {shown.hint && !act && <p className="hint">{shown.hint}</p>}
      {act && shown.action && (
        <PlainButton data-testid="error-action" data-action={shown.action} onPress={act}>
          {ACTION_LABELS[shown.action]}
        </PlainButton>
      )}
    </div>
  );
}
