// Wizard: the held time with its countdown, the exact comment the organisation will receive
// (refreshed as the user types their extra words), and Book.
import { useState } from "react";
import { Button } from "react-aria-components";
import { Countdown } from "../../components/Countdown";
import { ErrorBanner } from "../../components/ErrorBanner";
import { TextArea } from "../../components/Field";
import type { CoverageInput } from "../../ipc/bindings/CoverageInput";
import type { SlotOption } from "../../ipc/bindings/SlotOption";
import { describeError, type ErrorAction } from "../../lib/errors";
import { formatDateTime } from "../../lib/time";
import { useDebounced } from "../../lib/useDebounced";
import { type CoverageDecision, CoverageRefusedChoice } from "./CoverageRefusedChoice";
import { useBookingPreview } from "./queries";

interface Props {
  referralId: string;
  option: SlotOption;
  /** Null when the organisation books without a hold. */
  expiresAt: string | null;
  booking: boolean;
  error: unknown;
  onBook: (comment: string) => void;
  onBack: () => void;
  /** Next steps the wizard can take after a failed booking. */
  errorActions?: Partial<Record<ErrorAction, () => void>>;
  /** After a refused coverage: book again without it or with a corrected one. */
  onCoverageDecision?: (comment: string, decision: CoverageDecision) => void;
  /** After a refused coverage: stop booking (the wizard gives the time back). */
  onStop?: () => void;
  /** The coverage entered with the referral (the one refused). */
  coverage?: CoverageInput | null;
}

/** The sentence to show at the comment field when `error` refused the comment, else null. */
function commentRefusal(error: unknown): string | null {
  if (!error) return null;
  const shown = describeError(error);
  return shown.code === "invalid_input" && shown.field === "comment" ? shown.message : null;
}

export function BookStep(props: Props) {
  const { referralId, option, expiresAt, booking, error, onBook, onBack, errorActions } = props;
  const { onCoverageDecision, onStop } = props;
  const coverageRefused = Boolean(error) && describeError(error).code === "coverage_refused";
  const [comment, setComment] = useState("");
  const settled = useDebounced(comment, 300);
  const preview = useBookingPreview(referralId, settled);
  const previewRefusal = commentRefusal(preview.error);
  const commentProblem = previewRefusal ?? commentRefusal(error);
  return (
    <div data-testid="wizard-step-book">
      <p className="held">
        <strong>{formatDateTime(option.start)}</strong> at {option.organisationName}
        {option.practitioner && ` with ${option.practitioner}`}
        {option.location && `, ${option.location}`}
      </p>
      {expiresAt ? (
        <Countdown expiresAt={expiresAt} />
      ) : (
        <p className="muted">This organisation does not hold times: booking asks for it directly.</p>
      )}
      <TextArea
        label="Extra comment for the organisation (optional)"
        value={comment}
        testId="book-comment"
        problem={commentProblem ?? undefined}
        onChange={setComment}
      />
      <h3>What the organisation will receive</h3>
      <pre
        className="preview"
        data-testid="book-preview"
        data-current={settled === comment && !preview.isFetching && !preview.isError}
      >
        {preview.data?.comment ?? (preview.isPending ? "Composing…" : "")}
      </pre>
      {!previewRefusal && <ErrorBanner error={preview.error} testId="book-preview-error" />}
      {!commentRefusal(error) && <ErrorBanner error={error} actions={errorActions} />}
      {coverageRefused && onCoverageDecision && onStop && (
        <CoverageRefusedChoice
          refused={props.coverage ?? null}
          busy={booking}
          onDecide={(d) => onCoverageDecision(comment, d)}
          onStop={onStop}
        />
      )}
      <div className="actions">
        <Button data-testid="release-button" isDisabled={booking} onPress={onBack}>
          {expiresAt ? "Release and choose another time" : "Choose another time"}
        </Button>
        <Button
          className="primary"
          data-testid="book-button"
          isDisabled={booking || previewRefusal !== null}
          onPress={() => onBook(comment)}
        >
          {booking ? "Booking…" : "Book this appointment"}
        </Button>
      </div>
    </div>
  );
}
