import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { PreviewBookingRequest } from "../../ipc/bindings/PreviewBookingRequest";
import { callsTo, mockBackend, renderWithClient } from "../../test/backend";
import { ORG_A, option } from "../../test/fixtures";
import { BookStep } from "./BookStep";

const FIXED = "Reason: Psoriasis (9014002) — Plaques\nPriority: Urgent\nCall back: 555 010 2030";

function renderStep(onBook = vi.fn()) {
  renderWithClient(
    <BookStep
      referralId="r-1"
      option={option("o-1", ORG_A, "2026-12-01T09:00:00Z")}
      expiresAt={null}
      booking={false}
      error={null}
      onBook={onBook}
      onBack={() => undefined}
    />,
  );
  return onBook;
}

describe("Book step: the comment the organisation receives", () => {
  it("shows the composed comment and refreshes it once the user pauses typing", async () => {
    const calls = mockBackend({
      preview_booking: (req) => ({ comment: req.comment ? `${FIXED}\n${req.comment}` : FIXED }),
    });
    const user = userEvent.setup();
    const onBook = renderStep();
    const preview = await screen.findByTestId("book-preview");
    await waitFor(() => expect(preview.textContent).toBe(FIXED));
    await user.type(screen.getByTestId("book-comment"), "Bring previous scans");
    await waitFor(() => expect(preview.textContent).toBe(`${FIXED}\nBring previous scans`));
    expect(preview).toHaveAttribute("data-current", "true");
    // Debounced: one request for the empty comment and one after the pause, not one per key.
    const sent = callsTo(calls, "preview_booking") as PreviewBookingRequest[];
    expect(sent.length).toBeLessThan(5);
    expect(sent.at(-1)).toEqual({ referralId: "r-1", comment: "Bring previous scans" });
    await user.click(screen.getByTestId("book-button"));
    expect(onBook).toHaveBeenCalledWith("Bring previous scans");
  });

  it("says at the comment field when the whole comment would be too long, and keeps the words", async () => {
    mockBackend({
      preview_booking: (req) => {
        if ((req.comment ?? "").length > 20)
          throw {
            code: "invalid_input",
            field: "comment",
            message:
              "Comment: the comment for the organisation would be 1100 characters, over the limit of 1024; shorten your extra words or the note.",
          };
        return { comment: FIXED };
      },
    });
    const user = userEvent.setup();
    renderStep();
    await waitFor(() => expect(screen.getByTestId("book-preview").textContent).toBe(FIXED));
    await user.type(screen.getByTestId("book-comment"), "A very long comment indeed");
    expect(await screen.findByTestId("book-comment-problem")).toHaveTextContent("over the limit of 1024");
    expect(screen.getByTestId("book-comment")).toHaveValue("A very long comment indeed");
    expect(screen.getByTestId("book-button")).toBeDisabled();
    expect(screen.queryByTestId("book-preview-error")).toBeNull();
  });
});
