import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { ErrorBanner } from "./ErrorBanner";

describe("ErrorBanner", () => {
  it("shows the shell's sentence with the organisation's own words, and the next step", () => {
    render(
      <ErrorBanner
        error={{
          code: "slot_taken",
          message:
            "Napa Valley Clinic did not accept the hold or booking: that appointment time is probably no longer available. The organisation said: “Slot already booked”",
        }}
      />,
    );
    const banner = screen.getByRole("alert");
    expect(banner).toHaveAttribute("data-code", "slot_taken");
    expect(banner).toHaveTextContent("The organisation said: “Slot already booked”");
    expect(banner).toHaveTextContent("Search again and choose another time.");
    expect(screen.queryByTestId("error-action")).toBeNull();
  });

  it("never shows a programming error's text", () => {
    render(<ErrorBanner error={new TypeError("Cannot read properties of undefined (reading 'x')")} />);
    const banner = screen.getByRole("alert");
    expect(banner).toHaveAttribute("data-code", "local_failure");
    expect(banner).not.toHaveTextContent("undefined");
    expect(banner).toHaveTextContent("Referral Desk could not complete that action.");
  });

  it.each([
    ["slot_taken", "search_again", "Search again"],
    ["hold_expired", "search_again", "Search again"],
    ["patient_refused", "fix_patient", "Back to the patient's details"],
    ["coverage_refused", "fix_coverage", "Back to the coverage details"],
    ["unreachable", "retry", "Try again"],
    ["server_error", "retry", "Try again"],
    ["version_conflict", "refresh", "Refresh"],
  ] as const)("offers the next step for %s when the screen can take it", async (code, action, label) => {
    const handler = vi.fn();
    render(
      <ErrorBanner error={{ code, message: "North Clinic could not do that." }} actions={{ [action]: handler }} />,
    );
    const button = screen.getByTestId("error-action");
    expect(button).toHaveAttribute("data-action", action);
    expect(button).toHaveTextContent(label);
    await userEvent.setup().click(button);
    expect(handler).toHaveBeenCalledOnce();
  });

  it("offers no button for a step the screen cannot take", () => {
    render(
      <ErrorBanner
        error={{
          code: "unauthorized",
          message: "North Clinic did not accept the credentials.",
          oauthError: "invalid_client",
        }}
        actions={{ retry: vi.fn() }}
      />,
    );
    expect(screen.queryByTestId("error-action")).toBeNull();
    expect(screen.getByRole("alert")).toHaveTextContent("register this app's key");
  });

  it("renders nothing without an error", () => {
    const { container } = render(<ErrorBanner error={null} />);
    expect(container).toBeEmptyDOMElement();
  });
});
