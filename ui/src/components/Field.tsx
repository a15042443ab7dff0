// Labelled native inputs and selects (labels always visible, ids tied to them).
import { type ReactNode, useId } from "react";

interface Base {
  label: string;
  testId?: string;
  required?: boolean;
  hint?: ReactNode;
  /** What is wrong with the value, shown under the field and tied to it for screen readers. */
  problem?: string | undefined;
}

/** The problem line under a field (`<testId>-problem`), when there is one. */
function Problem({ id, problem, testId }: { id: string; problem?: string | undefined; testId?: string | undefined }) {
  if (!problem) return null;
  return (
    <small id={`${id}-problem`} className="field__problem" data-testid={testId && `${testId}-problem`}>
      {problem}
    </small>
  );
}

/** The input attributes that mark it invalid and point at its problem line. */
function invalid(id: string, problem?: string) {
  return problem ? { "aria-invalid": true, "aria-describedby": `${id}-problem` } : {};
}

export function TextInput({
  label,
  value,
  onChange,
  type = "text",
  testId,
  required,
  hint,
  autoFocus,
  inputRef,
  problem,
}: Base & {
  value: string;
  onChange: (v: string) => void;
  type?: "text" | "search" | "email" | "tel" | "url";
  autoFocus?: boolean;
  inputRef?: React.Ref<HTMLInputElement>;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}
        {required && <span aria-hidden="true"> *</span>}
      </label>
      <input
        id={id}
        ref={inputRef}
        type={type}
        value={value}
        required={required}
        autoFocus={autoFocus}
        data-testid={testId}
        onChange={(e) => onChange(e.target.value)}
        {...invalid(id, problem)}
      />
      {hint && <small>{hint}</small>}
      <Problem id={id} problem={problem} testId={testId} />
    </div>
  );
}

export function TextArea({
  label,
  value,
  onChange,
  testId,
  required,
  hint,
  problem,
}: Base & { value: string; onChange: (v: string) => void }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}
        {required && <span aria-hidden="true"> *</span>}
      </label>
      <textarea
        id={id}
        value={value}
        required={required}
        rows={3}
        data-testid={testId}
        onChange={(e) => onChange(e.target.value)}
        {...invalid(id, problem)}
      />
      {hint && <small>{hint}</small>}
      <Problem id={id} problem={problem} testId={testId} />
    </div>
  );
}

export interface Choice {
  value: string;
  label: string;
}

export function SelectInput({
  label,
  value,
  onChange,
  choices,
  testId,
  required,
  placeholder,
  problem,
}: Base & {
  value: string;
  onChange: (v: string) => void;
  choices: readonly Choice[];
  placeholder?: string;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}
        {required && <span aria-hidden="true"> *</span>}
      </label>
      <select
        id={id}
        value={value}
        required={required}
        data-testid={testId}
        onChange={(e) => onChange(e.target.value)}
        {...invalid(id, problem)}
      >
        {placeholder !== undefined && <option value="">{placeholder}</option>}
        {choices.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
      <Problem id={id} problem={problem} testId={testId} />
    </div>
  );
}
