// Cancel a referral's appointment with a reason from the IG's status-reason table and a note.
import { useState } from "react";
import { Button, Dialog, Heading, Modal } from "react-aria-components";
import { ErrorBanner } from "../../components/ErrorBanner";
import { SelectInput, TextArea } from "../../components/Field";
import type { CodeOption } from "../../ipc/bindings/CodeOption";
import { useCancelReferral } from "./queries";

interface Props {
  referralId: string;
  reasons: readonly CodeOption[];
  isOpen: boolean;
  onClose: () => void;
}

export function CancelDialog({ referralId, reasons, isOpen, onClose }: Props) {
  const [reason, setReason] = useState("");
  const [note, setNote] = useState("");
  const cancel = useCancelReferral();
  const submit = () =>
    cancel.mutate({ referralId, reasonCode: reason, note: note.trim() || null }, { onSuccess: onClose });
  return (
    <Modal
      isOpen={isOpen}
      onOpenChange={(open) => {
        if (!open) onClose();
      }}
      isDismissable
      className="modal"
      data-testid="cancel-dialog-modal"
    >
      <Dialog className="dialog" data-testid="cancel-dialog">
        <Heading slot="title">Cancel this appointment</Heading>
        <p>The organisation is told the appointment is cancelled, with the reason below.</p>
        <SelectInput
          label="Reason"
          required
          value={reason}
          placeholder="Choose a reason"
          testId="cancel-reason"
          choices={reasons.map((r) => ({ value: r.code, label: r.display }))}
          onChange={setReason}
        />
        <TextArea label="Note" value={note} testId="cancel-note" onChange={setNote} />
        {/* The referral was re-read when the cancel settled: "Refresh" shows it as it now stands. */}
        <ErrorBanner
          error={cancel.error}
          actions={{
            refresh: () => {
              cancel.reset();
              onClose();
            },
            retry: submit,
          }}
        />
        <div className="actions">
          <Button data-testid="cancel-dialog-close" onPress={onClose}>
            Keep appointment
          </Button>
          <Button
            className="danger"
            data-testid="cancel-confirm"
            isDisabled={!reason || cancel.isPending}
            onPress={submit}
          >
            {cancel.isPending ? "Cancelling…" : "Cancel appointment"}
          </Button>
        </div>
      </Dialog>
    </Modal>
  );
}
