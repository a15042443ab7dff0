// A date field that takes typed dates (the locale's order with any separator, or ISO), reads the
// date back in words, refuses impossible dates with a sentence, and offers a calendar only as an
// option. WebKitGTK's native date input swallows typed digits, so typing is a plain text field.
import { useEffect, useId, useRef, useState } from "react";
import {
  type DateKind,
  type DateOrder,
  dateInWords,
  formatTyped,
  localeDateOrder,
  orderPattern,
  parseTypedDate,
} from "../lib/typedDate";

interface Props {
  label: string;
  /** ISO `YYYY-MM-DD`, or "" while nothing valid is typed. */
  value: string;
  onChange: (iso: string) => void;
  kind?: DateKind;
  required?: boolean;
  testId?: string;
  /** The order typed dates are read in; the desk's locale order unless given. */
  order?: DateOrder;
}

export function DateField({ label, value, onChange, kind = "any", required, testId, order: given }: Props) {
  const id = useId();
  const order = given ?? localeDateOrder();
  const [text, setText] = useState(() => formatTyped(value, order));
  const [calendar, setCalendar] = useState(false);
  // The ISO value this field last reported: a different `value` prop was set from outside
  // (a patient match, a reset), and the text follows it.
  const reported = useRef(value);
  useEffect(() => {
    if (value !== reported.current) {
      reported.current = value;
      setText(formatTyped(value, order));
    }
  }, [value, order]);

  const parsed = text.trim() === "" ? null : parseTypedDate(text, kind, order);
  const report = (iso: string) => {
    reported.current = iso;
    if (iso !== value) onChange(iso);
  };
  const type = (t: string) => {
    setText(t);
    const p = t.trim() === "" ? null : parseTypedDate(t, kind, order);
    report(p?.ok ? p.iso : "");
  };
  const pick = (iso: string) => {
    setText(formatTyped(iso, order));
    report(iso);
  };

  const readBack = parsed?.ok ? dateInWords(parsed.iso) : "";
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}
        {required && <span aria-hidden="true"> *</span>}
      </label>
      <div className="date-field">
        <input
          id={id}
          type="text"
          inputMode="numeric"
          autoComplete="off"
          value={text}
          required={required}
          placeholder={orderPattern(order)}
          data-testid={testId}
          aria-invalid={parsed?.ok === false}
          aria-describedby={`${id}-read`}
          onChange={(e) => type(e.target.value)}
        />
        <button
          type="button"
          className="date-field__calendar"
          aria-expanded={calendar}
          aria-label={`${label}: choose from a calendar`}
          data-testid={testId && `${testId}-calendar`}
          onClick={() => setCalendar((c) => !c)}
        >
          Calendar
        </button>
      </div>
      {calendar && (
        <input
          type="date"
          aria-label={`${label} calendar`}
          value={parsed?.ok ? parsed.iso : ""}
          data-testid={testId && `${testId}-picker`}
          onChange={(e) => e.target.value && pick(e.target.value)}
        />
      )}
      <small
        id={`${id}-read`}
        data-testid={testId && `${testId}-read`}
        className={parsed?.ok === false ? "date-field__problem" : undefined}
        aria-live="polite"
      >
        {parsed === null ? orderPattern(order) : parsed.ok ? readBack : parsed.problem}
      </small>
    </div>
  );
}
