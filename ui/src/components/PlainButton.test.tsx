import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { PlainButton } from "./PlainButton";

describe("PlainButton", () => {
  it("is a labelled button that presses by click and by keyboard", async () => {
    const onPress = vi.fn();
    render(
      <PlainButton onPress={onPress} aria-label="Change theme" data-testid="b">
        Auto
      </PlainButton>,
    );
    const button = screen.getByRole("button", { name: "Change theme" });
    expect(button).toHaveAttribute("type", "button");
    await userEvent.click(button);
    button.focus();
    await userEvent.keyboard("{Enter}");
    await userEvent.keyboard(" ");
    expect(onPress).toHaveBeenCalledTimes(3);
  });

  it("does nothing while disabled", async () => {
    const onPress = vi.fn();
    render(
      <PlainButton onPress={onPress} isDisabled>
        Starting…
      </PlainButton>,
    );
    const button = screen.getByRole("button", { name: "Starting…" });
    expect(button).toBeDisabled();
    await userEvent.click(button);
    expect(onPress).not.toHaveBeenCalled();
  });
});
