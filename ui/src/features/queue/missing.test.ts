import { describe, expect, it } from "vitest";
import { emptyFillForm, fillProblems, NO_FILL, toFill } from "./missing";

const NOW = new Date(2026, 10, 30, 9, 0);

describe("what an order lacks", () => {
  it("opens the dates on the wizard's window: tomorrow to 15 days on", () => {
    expect(emptyFillForm(NOW)).toMatchObject({ windowFrom: "2026-12-01", windowTo: "2026-12-15" });
  });

  it("finds a problem only with the missing items", () => {
    const blank = emptyFillForm(NOW);
    expect(fillProblems([], blank)).toEqual({});
    expect(Object.keys(fillProblems(["mrn", "gender", "coverage-payor"], blank)).sort()).toEqual([
      "coverage-payor",
      "gender",
      "mrn",
    ]);
    expect(fillProblems(["mrn"], { ...blank, mrn: "  " })).toEqual({ mrn: "Enter the MRN." });
  });

  it("refuses a birth date in the future and dates to search in the wrong order", () => {
    const f = { ...emptyFillForm(NOW), birthDate: "2999-01-01", windowFrom: "2026-12-10", windowTo: "2026-12-02" };
    expect(fillProblems(["birth-date", "window"], f)).toEqual({
      "birth-date": "The date of birth cannot be in the future.",
      window: "The earliest date must come before the latest date.",
    });
  });

  it("sends the typed value of each missing item, trimmed, and nothing for the rest", () => {
    const f = {
      ...emptyFillForm(NOW),
      family: " Lopez ",
      given: "Maria",
      mrn: "MRN-1",
      gender: "female" as const,
      coverageSubscriberId: "W-123",
    };
    expect(toFill(["patient-name", "gender", "window", "coverage-subscriber-id"], f)).toEqual({
      family: "Lopez",
      given: "Maria",
      gender: "female",
      window: { from: "2026-12-01", to: "2026-12-15" },
      coverageSubscriberId: "W-123",
      organisationIds: [],
    });
    expect(toFill(["patient-name"], { ...f, given: "  " })).toEqual({ family: "Lopez", organisationIds: [] });
    expect(NO_FILL).toEqual({ organisationIds: [] });
  });
});
