// After the organisation refused the patient's coverage while booking (its reason is in the
// error banner above): book without the coverage, correct it and book with the corrected one,
// or stop (the held time is given back). The patient stays registered there either way.
import { useState } from "react";
import { Button } from "react-aria-components";
import { SelectInput, TextInput } from "../../components/Field";
import type { CoverageInput } from "../../ipc/bindings/CoverageInput";
import { RELATIONSHIPS } from "./draft";

/** What booking does about the refused coverage. */
export type CoverageDecision = { withoutCoverage: true } | { coverage: CoverageInput };

interface Props {
  /** The coverage that was refused, to start the correction from. */
  refused: CoverageInput | null;
  busy: boolean;
  onDecide: (decision: CoverageDecision) => void;
  onStop: () => void;
}

export function CoverageRefusedChoice({ refused, busy, onDecide, onStop }: Props) {
  const [fixing, setFixing] = useState(false);
  const [form, setForm] = useState<CoverageInput>(
    refused ?? { payor: "", subscriberId: "", planName: null, relationship: "self" },
  );
  const set = (patch: Partial<CoverageInput>) => setForm((f) => ({ ...f, ...patch }));
  const complete = form.payor.trim() !== "" && form.subscriberId.trim() !== "";
  return (
    <section className="coverage-refused" data-testid="coverage-refused" aria-label="Refused coverage">
      <p>The organisation keeps the patient’s registration. You can book without the coverage, correct it, or stop.</p>
      <div className="actions">
        <Button data-testid="coverage-continue" isDisabled={busy} onPress={() => onDecide({ withoutCoverage: true })}>
          Book without coverage
        </Button>
        <Button data-testid="coverage-fix" isDisabled={busy} onPress={() => setFixing(true)}>
          Correct the coverage
        </Button>
        <Button data-testid="coverage-stop" isDisabled={busy} onPress={onStop}>
          Stop and give the time back
        </Button>
      </div>
      {fixing && (
        <fieldset>
          <legend>Corrected coverage</legend>
          <div className="grid">
            <TextInput
              label="Insurer"
              required
              value={form.payor}
              testId="coverage-fix-payor"
              onChange={(v) => set({ payor: v })}
            />
            <TextInput
              label="Subscriber ID"
              required
              value={form.subscriberId}
              testId="coverage-fix-subscriber-id"
              onChange={(v) => set({ subscriberId: v })}
            />
            <TextInput
              label="Plan name"
              value={form.planName ?? ""}
              testId="coverage-fix-plan"
              onChange={(v) => set({ planName: v.trim() ? v : null })}
            />
            <SelectInput
              label="Patient is the subscriber’s"
              value={form.relationship}
              choices={RELATIONSHIPS}
              testId="coverage-fix-relationship"
              onChange={(v) => set({ relationship: v })}
            />
          </div>
          <Button
            className="primary"
            data-testid="coverage-fix-book"
            isDisabled={busy || !complete}
            onPress={() =>
              onDecide({
                coverage: {
                  payor: form.payor.trim(),
                  subscriberId: form.subscriberId.trim(),
                  planName: form.planName?.trim() || null,
                  relationship: form.relationship,
                },
              })
            }
          >
            Book with this coverage
          </Button>
        </fieldset>
      )}
    </section>
  );
}
