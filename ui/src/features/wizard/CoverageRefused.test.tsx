import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { renderWithClient } from "../../test/backend";
import { ORG_A, option } from "../../test/fixtures";
import { BookStep } from "./BookStep";

const refused = {
  code: "coverage_refused",
  message: "Napa Valley Clinic did not accept the patient's coverage: “We do not accept this insurer”.",
};
const entered = { payor: "Acme Health", subscriberId: "SUB-9", planName: null, relationship: "self" };

function renderStep(error: unknown = refused) {
  const decide = vi.fn();
  const stop = vi.fn();
  renderWithClient(
    <BookStep
      referralId="r-1"
      option={option("a-1", ORG_A, "2026-12-04T15:00:00Z")}
      expiresAt={null}
      booking={false}
      error={error}
      onBook={vi.fn()}
      onBack={vi.fn()}
      onCoverageDecision={decide}
      onStop={stop}
      coverage={entered}
    />,
  );
  return { decide, stop };
}

describe("A coverage refused while booking", () => {
  it("shows the organisation's reason and books on without the coverage when the user continues", async () => {
    const { decide } = renderStep();
    expect(screen.getByTestId("error-banner")).toHaveTextContent("We do not accept this insurer");
    await userEvent.setup().click(screen.getByTestId("coverage-continue"));
    expect(decide).toHaveBeenCalledWith("", { withoutCoverage: true });
  });

  it("books with a corrected coverage, starting from the one refused", async () => {
    const { decide } = renderStep();
    const user = userEvent.setup();
    await user.click(screen.getByTestId("coverage-fix"));
    expect(screen.getByTestId("coverage-fix-payor")).toHaveValue("Acme Health");
    await user.clear(screen.getByTestId("coverage-fix-payor"));
    await user.type(screen.getByTestId("coverage-fix-payor"), "Other Health");
    await user.type(screen.getByTestId("coverage-fix-plan"), "Gold");
    await user.click(screen.getByTestId("coverage-fix-book"));
    expect(decide).toHaveBeenCalledWith("", {
      coverage: { payor: "Other Health", subscriberId: "SUB-9", planName: "Gold", relationship: "self" },
    });
  });

  it("lets the user stop and give the time back", async () => {
    const { stop } = renderStep();
    await userEvent.setup().click(screen.getByTestId("coverage-stop"));
    expect(stop).toHaveBeenCalled();
  });

  it("is not offered for other errors", () => {
    renderStep({ code: "slot_taken", message: "That time was taken." });
    expect(screen.queryByTestId("coverage-refused")).toBeNull();
  });
});
