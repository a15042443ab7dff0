// The date field as a clerk uses it: typing key by key, reading the date back, a calendar only on request.
import { fireEvent, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it } from "vitest";
import { DateField } from "./DateField";

function Harness({ initial = "", kind }: { initial?: string; kind?: "birth" | "any" }) {
  const [value, setValue] = useState(initial);
  return (
    <>
      <DateField label="Date of birth" value={value} onChange={setValue} kind={kind} testId="dob" order="mdy" />
      <output data-testid="value">{value}</output>
      <button type="button" onClick={() => setValue("1975-12-24")}>
        fill
      </button>
    </>
  );
}

describe("DateField", () => {
  it("turns digits typed key by key into the ISO date and reads it back in words", async () => {
    render(<Harness kind="birth" />);
    await userEvent.type(screen.getByTestId("dob"), "04/02/1980");
    expect(screen.getByTestId("value")).toHaveTextContent("1980-04-02");
    expect(screen.getByTestId("dob-read")).toHaveTextContent("2 April 1980");
    await userEvent.clear(screen.getByTestId("dob"));
    await userEvent.type(screen.getByTestId("dob"), "1980-04-02");
    expect(screen.getByTestId("value")).toHaveTextContent("1980-04-02");
  });

  it("says what is wrong with an impossible date and reports no value", async () => {
    render(<Harness kind="birth" />);
    await userEvent.type(screen.getByTestId("dob"), "02/30/1980");
    expect(screen.getByTestId("value")).toHaveTextContent("");
    expect(screen.getByTestId("dob-read")).toHaveTextContent("February 1980 has no day 30.");
    expect(screen.getByTestId("dob")).toHaveAttribute("aria-invalid", "true");
  });

  it("shows a value set from outside, and keeps the typed text while typing", async () => {
    render(<Harness initial="1980-04-02" />);
    expect(screen.getByTestId("dob")).toHaveValue("04/02/1980");
    await userEvent.click(screen.getByText("fill"));
    expect(screen.getByTestId("dob")).toHaveValue("12/24/1975");
    await userEvent.clear(screen.getByTestId("dob"));
    await userEvent.type(screen.getByTestId("dob"), "1/2");
    expect(screen.getByTestId("dob")).toHaveValue("1/2");
  });

  it("offers the calendar only when asked, and a date picked there fills the field", async () => {
    render(<Harness />);
    expect(screen.queryByTestId("dob-picker")).toBeNull();
    await userEvent.click(screen.getByTestId("dob-calendar"));
    fireEvent.change(screen.getByTestId("dob-picker"), { target: { value: "2026-12-03" } });
    expect(screen.getByTestId("value")).toHaveTextContent("2026-12-03");
    expect(screen.getByTestId("dob")).toHaveValue("12/03/2026");
  });
});
