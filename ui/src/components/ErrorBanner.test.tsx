import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { ErrorBanner } from "./ErrorBanner";

describe("ErrorBanner", () => {
  it("shows the shell's sentence with the organisation's own words, and the next step", () => {
    render(
      <ErrorBanner
        error={{
          code: "slot_unavailable",
          message:
            "Napa Valley Clinic: That appointment time is no longer available. The organisation said: “Slot already booked”",
        }}
      />,
    );
    const banner = screen.getByRole("alert");
    expect(banner).toHaveAttribute("data-code", "slot_unavailable");
    expect(banner).toHaveTextContent("The organisation said: “Slot already booked”");
    expect(banner).toHaveTextContent("Choose another time from the results");
  });

  it("never shows a programming error's text", () => {
    render(<ErrorBanner error={new TypeError("Cannot read properties of undefined (reading 'x')")} />);
    const banner = screen.getByRole("alert");
    expect(banner).toHaveAttribute("data-code", "internal");
    expect(banner).not.toHaveTextContent("undefined");
    expect(banner).toHaveTextContent("Referral Desk could not complete that action.");
  });

  it("renders nothing without an error", () => {
    const { container } = render(<ErrorBanner error={null} />);
    expect(container).toBeEmptyDOMElement();
  });
});
