// Labelled native inputs and selects (labels always visible, ids tied to them).
import { type ReactNode, useId } from "react";

interface Base {
  label: string;
  testId?: string;
  required?: boolean;
  hint?: ReactNode;
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
      />
      {hint && <small>{hint}</small>}
    </div>
  );
}

export function TextArea({
  label,
  value,
  onChange,
  testId,
  required,
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
      />
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
      <select id={id} value={value} required={required} data-testid={testId} onChange={(e) => onChange(e.target.value)}>
        {placeholder !== undefined && <option value="">{placeholder}</option>}
        {choices.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
    </div>
  );
}
