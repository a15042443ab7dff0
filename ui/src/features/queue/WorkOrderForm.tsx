// The small form shown when an order lacks something the referral needs: exactly the missing
// fields, nothing the order already carries. Submitting starts the referral with those values.
// A missing call-back number starts as the desk's own (Settings → Referring clinician).
import { useEffect, useState } from "react";
import { Button } from "react-aria-components";
import { DateField } from "../../components/DateField";
import { SelectInput, TextInput } from "../../components/Field";
import type { MissingField as Missing } from "../../ipc/bindings/MissingField";
import type { OrderFill } from "../../ipc/bindings/OrderFill";
import { useDeskSettings } from "../settings/queries";
import { useCodeTables } from "../wizard/queries";
import { emptyFillForm, type FillForm, fillProblems, GENDER_CHOICES, MISSING_LABELS, toFill } from "./missing";

interface Props {
  orderId: string;
  missing: readonly Missing[];
  busy: boolean;
  onStart: (fill: OrderFill) => void;
  onCancel: () => void;
}

export function WorkOrderForm({ orderId, missing, busy, onStart, onCancel }: Props) {
  const [form, setForm] = useState<FillForm>(() => emptyFillForm());
  const [tried, setTried] = useState(false);
  useDeskPhone(missing.includes("referrer-phone"), setForm);
  const problems = fillProblems(missing, form);
  const shown = tried ? problems : {};
  const set = (patch: Partial<FillForm>) => setForm((f) => ({ ...f, ...patch }));
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (Object.keys(problems).length === 0) onStart(toFill(missing, form));
  };
  return (
    <form
      className="work-order"
      aria-label="What the order does not say"
      data-testid="work-order-form"
      data-order-id={orderId}
      onSubmit={submit}
    >
      <p>The order does not say everything the referral needs. Fill in:</p>
      <div className="grid">
        {missing.map((m) => (
          <MissingField key={m} item={m} form={form} problem={shown[m]} set={set} />
        ))}
      </div>
      <div className="actions">
        <Button type="submit" className="primary" data-testid="work-order-start" isDisabled={busy}>
          {busy ? "Starting…" : "Start the referral"}
        </Button>
        <Button data-testid="work-order-cancel" isDisabled={busy} onPress={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

/** Fills a blank call-back number with the desk's, once the desk settings are read. */
function useDeskPhone(wanted: boolean, setForm: React.Dispatch<React.SetStateAction<FillForm>>) {
  const desk = useDeskSettings();
  const phone = wanted ? (desk.data?.referrer?.phone ?? "") : "";
  useEffect(() => {
    if (phone) setForm((f) => (f.referrerPhone ? f : { ...f, referrerPhone: phone }));
  }, [phone, setForm]);
}

interface FieldProps {
  item: Missing;
  form: FillForm;
  problem: string | undefined;
  set: (patch: Partial<FillForm>) => void;
}

function MissingField({ item, form, problem, set }: FieldProps) {
  const label = MISSING_LABELS[item];
  const testId = `fill-${item}`;
  switch (item) {
    case "patient-name":
      return (
        <>
          <TextInput
            label="Family name"
            value={form.family}
            testId="fill-family"
            problem={problem}
            onChange={(v) => set({ family: v })}
          />
          <TextInput label="Given names" value={form.given} testId="fill-given" onChange={(v) => set({ given: v })} />
        </>
      );
    case "birth-date":
      return (
        <div>
          <DateField
            label={label}
            value={form.birthDate}
            kind="birth"
            testId={testId}
            onChange={(v) => set({ birthDate: v })}
          />
          <Problem testId={testId} problem={problem} />
        </div>
      );
    case "gender":
      return (
        <SelectInput
          label={label}
          value={form.gender}
          placeholder="Choose…"
          choices={GENDER_CHOICES}
          testId={testId}
          problem={problem}
          onChange={(v) => set({ gender: v as FillForm["gender"] })}
        />
      );
    case "specialty":
      return <SpecialtyField value={form.specialty} problem={problem} onChange={(v) => set({ specialty: v })} />;
    case "window":
      return (
        <div>
          <DateField
            label="Earliest date"
            value={form.windowFrom}
            testId="fill-window-from"
            onChange={(v) => set({ windowFrom: v })}
          />
          <DateField
            label="Latest date"
            value={form.windowTo}
            testId="fill-window-to"
            onChange={(v) => set({ windowTo: v })}
          />
          <Problem testId={testId} problem={problem} />
        </div>
      );
    default: {
      const key = TEXT_KEYS[item];
      return (
        <TextInput
          label={label}
          value={form[key]}
          type={item === "referrer-phone" ? "tel" : "text"}
          testId={testId}
          problem={problem}
          onChange={(v) => set({ [key]: v })}
        />
      );
    }
  }
}

/** The plain text items and the form value each one fills. */
const TEXT_KEYS: Record<
  Exclude<Missing, "patient-name" | "birth-date" | "gender" | "specialty" | "window">,
  "mrn" | "referrerPhone" | "coveragePayor" | "coverageSubscriberId"
> = {
  mrn: "mrn",
  "referrer-phone": "referrerPhone",
  "coverage-payor": "coveragePayor",
  "coverage-subscriber-id": "coverageSubscriberId",
};

function SpecialtyField({
  value,
  problem,
  onChange,
}: {
  value: string;
  problem: string | undefined;
  onChange: (code: string) => void;
}) {
  const codes = useCodeTables();
  const choices = (codes.data?.specialties ?? []).map((c) => ({ value: c.code, label: c.display }));
  return (
    <SelectInput
      label={MISSING_LABELS.specialty}
      value={value}
      placeholder={codes.isPending ? "Loading…" : "Choose…"}
      choices={choices}
      testId="fill-specialty"
      problem={problem}
      onChange={onChange}
    />
  );
}

/** A problem line under a field that has none of its own (the date fields). */
function Problem({ testId, problem }: { testId: string; problem: string | undefined }) {
  if (!problem) return null;
  return (
    <small className="field__problem" data-testid={`${testId}-problem`} role="alert">
      {problem}
    </small>
  );
}
