import { describe, expect, it } from "vitest";
import { CODES, ORG_A } from "../../test/fixtures";
import { type Draft, emptyDraft, patientProblems, splitName, toCreateRequest, windowProblems } from "./draft";

function filled(): Draft {
  const d = emptyDraft(new Date(2026, 10, 22));
  return {
    ...d,
    patient: {
      family: "Chalmers",
      given: "Peter James",
      birthDate: "1974-12-25",
      gender: "male",
      mrn: "MRN-1",
      phone: "",
    },
    specialty: "394582007",
    reason: "Rash",
    organisationIds: [ORG_A.id],
  };
}

describe("wizard draft", () => {
  it("names each missing patient field in a sentence", () => {
    const problems = patientProblems(emptyDraft());
    expect(problems).toContain("Family name: enter the patient’s family name.");
    expect(problems.some((p) => p.startsWith("MRN:"))).toBe(true);
    expect(patientProblems(filled())).toEqual([]);
  });

  it("requires insurer and subscriber id only when coverage is added", () => {
    const d = { ...filled(), withCoverage: true };
    expect(patientProblems(d)).toHaveLength(2);
  });

  it("rejects a window that ends before it starts", () => {
    expect(windowProblems({ ...filled(), start: "2026-12-10", end: "2026-12-01" })).toHaveLength(1);
  });

  it("builds the create_referral request with coded service choices", () => {
    const req = toCreateRequest(
      {
        ...filled(),
        withCoverage: true,
        coverage: { payor: "Acme", subscriberId: "S1", planName: "", relationship: "self" },
      },
      CODES,
    );
    expect(req.patient.given).toEqual(["Peter", "James"]);
    expect(req.service.specialty?.code).toBe("394582007");
    expect(req.service.visitType).toBeNull();
    expect(req.coverage).toEqual({ payor: "Acme", subscriberId: "S1", planName: null, relationship: "self" });
    expect(req.window).toEqual({ start: "2026-11-23", end: "2026-12-07" });
  });

  it("splits display names into given and family", () => {
    expect(splitName("Peter James Chalmers")).toEqual({ given: "Peter James", family: "Chalmers" });
    expect(splitName("Cher")).toEqual({ given: "", family: "Cher" });
  });
});
