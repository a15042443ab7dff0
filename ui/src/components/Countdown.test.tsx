import { act, render, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Countdown } from "./Countdown";

describe("Countdown", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date("2026-11-22T10:00:00Z"));
  });
  afterEach(() => vi.useRealTimers());

  it("counts down every second and says when the hold has expired", () => {
    render(<Countdown expiresAt="2026-11-22T10:01:05Z" />);
    const el = screen.getByTestId("hold-countdown");
    expect(el).toHaveTextContent("Held for 1:05");
    act(() => vi.advanceTimersByTime(6_000));
    expect(el).toHaveTextContent("Held for 0:59");
    expect(el).toHaveClass("urgent");
    act(() => vi.advanceTimersByTime(60_000));
    expect(el).toHaveTextContent("Hold expired");
    expect(el).toHaveAttribute("data-seconds-left", "0");
  });
});
