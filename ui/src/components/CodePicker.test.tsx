import { fireEvent, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it, vi } from "vitest";
import type { CodeOption } from "../ipc/bindings/CodeOption";
import { CodePicker, filterCodes } from "./CodePicker";

const SCT = "http://snomed.info/sct";
const REASONS: CodeOption[] = [
  { system: SCT, code: "29857009", display: "Chest pain" },
  { system: SCT, code: "9014002", display: "Psoriasis" },
  { system: SCT, code: "25064002", display: "Headache" },
  { system: "http://hl7.org/fhir/sid/icd-10-cm", code: "R07.9", display: "Chest pain, unspecified" },
];

function Harness({ onPick }: { onPick?: (c: CodeOption | null) => void }) {
  const [value, setValue] = useState<CodeOption | null>(null);
  const [query, setQuery] = useState("");
  return (
    <CodePicker
      label="Reason for referral"
      options={REASONS}
      value={value}
      query={query}
      testId="reason"
      onChange={(v, q) => {
        setValue(v);
        setQuery(q);
        onPick?.(v);
      }}
    />
  );
}

describe("CodePicker", () => {
  it("filters by any typed words in the display or the code, in any case", () => {
    expect(filterCodes(REASONS, "CHEST").map((c) => c.code)).toEqual(["29857009", "R07.9"]);
    expect(filterCodes(REASONS, "pain unspec").map((c) => c.code)).toEqual(["R07.9"]);
    expect(filterCodes(REASONS, "9014").map((c) => c.display)).toEqual(["Psoriasis"]);
    expect(filterCodes(REASONS, "  ")).toHaveLength(4);
    expect(filterCodes(REASONS, "fracture")).toEqual([]);
  });

  it("is a combobox with a listbox: typing narrows, arrows move, Enter chooses", async () => {
    const user = userEvent.setup();
    render(<Harness />);
    const box = screen.getByRole("combobox", { name: "Reason for referral" });
    await user.type(box, "chest");
    const list = screen.getByRole("listbox");
    expect(box).toHaveAttribute("aria-expanded", "true");
    expect(box).toHaveAttribute("aria-controls", list.id);
    const options = within(list).getAllByRole("option");
    expect(options.map((o) => o.getAttribute("data-code"))).toEqual(["29857009", "R07.9"]);
    expect(box).toHaveAttribute("aria-activedescendant", options[0]!.id);
    await user.keyboard("{ArrowDown}");
    expect(box).toHaveAttribute("aria-activedescendant", options[1]!.id);
    expect(options[1]).toHaveAttribute("aria-selected", "true");
    await user.keyboard("{Enter}");
    expect(screen.queryByRole("listbox")).toBeNull();
    expect(box).toHaveValue("Chest pain, unspecified");
    expect(box).toHaveAttribute("data-code", "R07.9");
    expect(screen.getByTestId("reason-read")).toHaveTextContent("Chosen: Chest pain, unspecified, ICD-10-CM R07.9");
  });

  it("chooses with the mouse, and Escape closes the list before it clears the field", async () => {
    const user = userEvent.setup();
    const picked = vi.fn();
    render(<Harness onPick={picked} />);
    const box = screen.getByRole("combobox");
    await user.type(box, "head");
    await user.click(screen.getByRole("option", { name: /Headache/ }));
    expect(picked).toHaveBeenLastCalledWith(REASONS[2]);
    await user.keyboard("{ArrowDown}");
    expect(screen.getByRole("listbox")).toBeInTheDocument();
    // The list opens at the chosen code.
    expect(screen.getByRole("option", { selected: true })).toHaveAttribute("data-code", "25064002");
    // Escape is taken by the field (the wizard's "back" shortcut does not see it).
    const notPrevented = fireEvent.keyDown(box, { key: "Escape" });
    expect(notPrevented).toBe(false);
    expect(screen.queryByRole("listbox")).toBeNull();
    expect(box).toHaveValue("Headache");
    await user.keyboard("{Escape}");
    expect(box).toHaveValue("");
    expect(picked).toHaveBeenLastCalledWith(null);
  });

  it("keeps typed text that matches nothing and says so", async () => {
    const user = userEvent.setup();
    render(<Harness />);
    await user.type(screen.getByRole("combobox"), "fracture");
    expect(screen.queryByRole("option")).toBeNull();
    expect(screen.getByRole("combobox")).toHaveValue("fracture");
    expect(screen.getByTestId("reason-read")).toHaveTextContent("Nothing in the list matches “fracture”.");
  });
});
