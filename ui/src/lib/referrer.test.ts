import { describe, expect, it } from "vitest";
import { npiCheckDigitOk, npiProblem, phoneProblem, referrerProblems, toReferrer } from "./referrer";

describe("referrer checks", () => {
  it("accepts an NPI whose check digit matches and refuses one that does not", () => {
    // 1234567893 is CMS's worked example of a valid NPI.
    expect(npiCheckDigitOk("1234567893")).toBe(true);
    expect(npiCheckDigitOk("1234567890")).toBe(false);
    expect(npiProblem("1234567893")).toBeNull();
    expect(npiProblem("1234567890")).toMatch(/check digit/);
    expect(npiProblem("12345")).toBe("NPI: enter the 10 digits of the National Provider Identifier.");
    expect(npiProblem("")).toBeNull();
  });

  it("takes call-back numbers of 7 to 20 digits with the usual separators only", () => {
    expect(phoneProblem("+1 (555) 010-2030")).toBeNull();
    expect(phoneProblem("555.0102")).toBeNull();
    expect(phoneProblem("555-01")).toMatch(/7 to 20 digits/);
    expect(phoneProblem("call 555 0102")).toMatch(/digits, spaces/);
  });

  it("needs the name and the number once any field is filled, and sends nothing for a blank form", () => {
    expect(referrerProblems({ name: "", npi: "", phone: "" })).toEqual({});
    const partial = referrerProblems({ name: "", npi: "1234567893", phone: "" });
    expect(Object.keys(partial).sort()).toEqual(["name", "phone"]);
    expect(toReferrer({ name: "", npi: "", phone: "" })).toBeNull();
    expect(toReferrer({ name: " Dr. Ada Obi ", npi: "", phone: " 555 0102 " })).toEqual({
      name: "Dr. Ada Obi",
      npi: null,
      phone: "555 0102",
    });
  });
});
