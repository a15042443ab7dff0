// A row of toggle buttons with exactly one pressed (list / week, organisations / practitioners).
import { ToggleButton, ToggleButtonGroup } from "react-aria-components";

interface Props<T extends string> {
  label: string;
  value: T;
  choices: readonly { id: T; label: string }[];
  onChange: (value: T) => void;
  testId?: string;
}

export function ChoiceToggle<T extends string>({ label, value, choices, onChange, testId }: Props<T>) {
  return (
    <ToggleButtonGroup
      className="choice-toggle"
      aria-label={label}
      data-testid={testId}
      selectionMode="single"
      disallowEmptySelection
      selectedKeys={[value]}
      onSelectionChange={(keys) => {
        const picked = choices.find((c) => keys.has(c.id));
        if (picked) onChange(picked.id);
      }}
    >
      {choices.map((c) => (
        <ToggleButton key={c.id} id={c.id} data-testid={testId ? `${testId}-${c.id}` : undefined}>
          {c.label}
        </ToggleButton>
      ))}
    </ToggleButtonGroup>
  );
}
