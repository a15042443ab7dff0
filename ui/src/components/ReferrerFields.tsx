// The referring clinician's name, NPI and call-back phone, each with its problem beside it; used
// by the wizard (for one referral) and by Settings (the desk's default).
import type { ReactNode } from "react";
import type { ReferrerField, ReferrerForm } from "../lib/referrer";
import { TextInput } from "./Field";

interface Props {
  value: ReferrerForm;
  onChange: (value: ReferrerForm) => void;
  problems: Partial<Record<ReferrerField, string>>;
  /** Prefix of the fields' test ids: `<prefix>-name`, `-npi`, `-phone`. */
  testIdPrefix: string;
  legend: string;
  hint?: ReactNode;
}

export function ReferrerFields({ value, onChange, problems, testIdPrefix, legend, hint }: Props) {
  const set = (patch: Partial<ReferrerForm>) => onChange({ ...value, ...patch });
  return (
    <fieldset data-testid={`${testIdPrefix}-fields`}>
      <legend>{legend}</legend>
      {hint && <p className="muted">{hint}</p>}
      <div className="grid">
        <TextInput
          label="Name"
          value={value.name}
          testId={`${testIdPrefix}-name`}
          problem={problems.name}
          onChange={(name) => set({ name })}
        />
        <TextInput
          label="NPI (optional)"
          value={value.npi}
          testId={`${testIdPrefix}-npi`}
          problem={problems.npi}
          hint="10 digits"
          onChange={(npi) => set({ npi })}
        />
        <TextInput
          label="Call-back phone"
          type="tel"
          value={value.phone}
          testId={`${testIdPrefix}-phone`}
          problem={problems.phone}
          hint="The number the organisation calls back"
          onChange={(phone) => set({ phone })}
        />
      </div>
    </fieldset>
  );
}
