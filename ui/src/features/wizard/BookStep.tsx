// Wizard: the held time with its countdown, a comment for the organisation, and Book.
import { useState } from "react";
import { Button } from "react-aria-components";
import { Countdown } from "../../components/Countdown";
import { ErrorBanner } from "../../components/ErrorBanner";
import { TextArea } from "../../components/Field";
import type { SlotOption } from "../../ipc/bindings/SlotOption";
import type { ErrorAction } from "../../lib/errors";
import { formatDateTime } from "../../lib/time";

interface Props {
  option: SlotOption;
  /** Null when the organisation books without a hold. */
  expiresAt: string | null;
  booking: boolean;
  error: unknown;
  onBook: (comment: string) => void;
  onBack: () => void;
  /** Next steps the wizard can take after a failed booking. */
  errorActions?: Partial<Record<ErrorAction, () => void>>;
}

export function BookStep({ option, expiresAt, booking, error, onBook, onBack, errorActions }: Props) {
  const [comment, setComment] = useState("");
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
      <TextArea label="Comment for the organisation" value={comment} testId="book-comment" onChange={setComment} />
      <ErrorBanner error={error} actions={errorActions} />
      <div className="actions">
        <Button data-testid="release-button" isDisabled={booking} onPress={onBack}>
          {expiresAt ? "Release and choose another time" : "Choose another time"}
        </Button>
        <Button className="primary" data-testid="book-button" isDisabled={booking} onPress={() => onBook(comment)}>
          {booking ? "Booking…" : "Book this appointment"}
        </Button>
      </div>
    </div>
  );
}
