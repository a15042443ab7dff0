// The one way errors are shown: a sentence (with the organisation's own words), and a next step.
import { describeError } from "../lib/errors";

export function ErrorBanner({ error, testId = "error-banner" }: { error: unknown; testId?: string }) {
  if (!error) return null;
  const shown = describeError(error);
  return (
    <div className="error-banner" role="alert" data-testid={testId} data-code={shown.code}>
      <p>{shown.message}</p>
      {shown.hint && <p className="hint">{shown.hint}</p>}
    </div>
  );
}
