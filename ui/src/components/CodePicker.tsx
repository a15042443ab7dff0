// A searchable pick-list of codes (ARIA combobox with a listbox): type part of a name or a code
// to narrow the list, arrows to move, Enter to choose, Escape to close. What is typed stays in
// the field until it is cleared, so nothing is lost when no code matches.
import { type KeyboardEvent, useId, useState } from "react";
import type { CodeOption } from "../ipc/bindings/CodeOption";

const SYSTEM_NAMES: Record<string, string> = {
  "http://snomed.info/sct": "SNOMED CT",
  "http://hl7.org/fhir/sid/icd-10-cm": "ICD-10-CM",
};

/** How a code is named to the user, e.g. `SNOMED CT 29857009`. */
export function codeLabel(c: CodeOption): string {
  const system = SYSTEM_NAMES[c.system];
  return system ? `${system} ${c.code}` : c.code;
}

/** The options whose display or code holds every word typed (any case, any order). */
export function filterCodes(options: readonly CodeOption[], query: string): CodeOption[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...options];
  return options.filter((o) => {
    const text = `${o.display} ${o.code}`.toLowerCase();
    return words.every((w) => text.includes(w));
  });
}

interface Props {
  label: string;
  options: readonly CodeOption[];
  value: CodeOption | null;
  /** The text typed while nothing is chosen. */
  query: string;
  onChange: (value: CodeOption | null, query: string) => void;
  testId: string;
  problem?: string | undefined;
}

export function CodePicker({ label, options, value, query, onChange, testId, problem }: Props) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const matches = value ? [...options] : filterCodes(options, query);
  const current = Math.min(active, matches.length - 1);
  const optionId = (i: number) => `${id}-option-${i}`;

  const choose = (o: CodeOption) => {
    onChange(o, "");
    setOpen(false);
  };
  const type = (text: string) => {
    onChange(null, text);
    setOpen(true);
    setActive(0);
  };
  // Opening the list starts at the chosen code, so arrows move on from it.
  const openList = () => {
    setOpen(true);
    const at = value ? matches.findIndex((o) => o.system === value.system && o.code === value.code) : 0;
    setActive(Math.max(0, at));
  };
  const move = (by: number) => {
    if (!open) {
      openList();
      return;
    }
    setActive(Math.max(0, Math.min(current + by, matches.length - 1)));
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    const chosen = matches[current];
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      move(e.key === "ArrowDown" ? 1 : -1);
    } else if (e.key === "Enter" && open && chosen) {
      e.preventDefault();
      choose(chosen);
    } else if (e.key === "Escape" && (open || value || query)) {
      // Escape closes the list, then clears the field; only an empty, closed field lets it go
      // back a step.
      e.preventDefault();
      if (open) setOpen(false);
      else onChange(null, "");
    }
  };

  const describedBy = [`${id}-read`, problem ? `${id}-problem` : ""].filter(Boolean).join(" ");
  return (
    <div className="field code-picker">
      <label htmlFor={id}>{label}</label>
      <div className="code-picker__input">
        <input
          id={id}
          type="text"
          role="combobox"
          autoComplete="off"
          aria-autocomplete="list"
          aria-expanded={open}
          aria-controls={`${id}-list`}
          aria-activedescendant={open && matches[current] ? optionId(current) : undefined}
          aria-invalid={problem ? true : undefined}
          aria-describedby={describedBy}
          value={value ? value.display : query}
          placeholder="Type a name or code"
          data-testid={testId}
          data-code={value?.code}
          onChange={(e) => type(e.target.value)}
          onKeyDown={onKeyDown}
          onClick={openList}
          onBlur={() => setOpen(false)}
        />
        {(value || query) && (
          <button
            type="button"
            aria-label={`Clear ${label}`}
            data-testid={`${testId}-clear`}
            onClick={() => onChange(null, "")}
          >
            Clear
          </button>
        )}
        {open && matches.length > 0 && (
          <div id={`${id}-list`} role="listbox" aria-label={label} className="code-picker__list">
            {matches.map((o, i) => (
              <div
                key={`${o.system}|${o.code}`}
                id={optionId(i)}
                role="option"
                tabIndex={-1}
                aria-selected={i === current}
                data-testid={`${testId}-option`}
                data-code={o.code}
                // Chosen on mouse down, before the field loses focus and closes the list.
                onMouseDown={(e) => {
                  e.preventDefault();
                  choose(o);
                }}
              >
                {o.display} <span className="muted">{codeLabel(o)}</span>
              </div>
            ))}
          </div>
        )}
      </div>
      <small id={`${id}-read`} data-testid={`${testId}-read`} aria-live="polite">
        {value
          ? `Chosen: ${value.display}, ${codeLabel(value)}`
          : query && matches.length === 0
            ? `Nothing in the list matches “${query}”.`
            : ""}
      </small>
      {problem && (
        <small id={`${id}-problem`} className="field__problem" data-testid={`${testId}-problem`}>
          {problem}
        </small>
      )}
    </div>
  );
}
