// Typed dates: locale order, ISO, separators, two-digit years, impossible dates.
import { describe, expect, it } from "vitest";
import { dateInWords, formatTyped, localeDateOrder, parseTypedDate } from "./typedDate";

const today = new Date(2026, 10, 30); // 30 November 2026
const iso = (text: string, kind: "birth" | "any" = "birth", order: "mdy" | "dmy" | "ymd" = "mdy") => {
  const p = parseTypedDate(text, kind, order, today);
  return p.ok ? p.iso : `problem: ${p.problem}`;
};

describe("parseTypedDate", () => {
  it("reads US-ordered dates with any separator, and ISO whatever the locale", () => {
    for (const t of [
      "04/02/1980",
      "4/2/1980",
      "04-02-1980",
      "04.02.1980",
      "04 02 1980",
      "04021980",
      "1980-04-02",
      "19800402",
    ]) {
      expect(iso(t), t).toBe("1980-04-02");
    }
    expect(iso("1980-04-02", "birth", "dmy")).toBe("1980-04-02");
  });

  it("reads day-first locales day first", () => {
    expect(iso("04/02/1980", "birth", "dmy")).toBe("1980-02-04");
    expect(iso("2.4.80", "birth", "dmy")).toBe("1980-04-02");
  });

  it("resolves two-digit birth years to the latest year not in the future, other dates to this century", () => {
    expect(iso("04/02/80")).toBe("1980-04-02");
    expect(iso("04/02/05")).toBe("2005-04-02");
    expect(iso("11/29/26")).toBe("2026-11-29");
    expect(iso("12/01/26")).toBe("1926-12-01");
    expect(iso("01/15/27", "any")).toBe("2027-01-15");
  });

  it("refuses impossible dates with a sentence that names what is wrong", () => {
    expect(iso("02/30/1980")).toBe("problem: February 1980 has no day 30.");
    expect(iso("02/29/1981")).toBe("problem: February 1981 has no day 29.");
    expect(iso("02/29/1980")).toBe("1980-02-29");
    expect(iso("13/02/1980")).toBe("problem: There is no month 13.");
    expect(iso("12/01/2030")).toBe("problem: A date of birth cannot be in the future.");
    expect(iso("1/2/1870")).toMatch(/too long ago/);
    expect(iso("04/02")).toBe("problem: Type the date as MM/DD/YYYY.");
    expect(iso("April 2nd")).toBe("problem: Type the date as MM/DD/YYYY.");
    expect(iso("04/02/198")).toBe("problem: Type the year with four digits (or two).");
    expect(iso("   ")).toBe("problem: Enter a date.");
  });
});

describe("formatting", () => {
  it("writes an ISO date back in the locale order and in words", () => {
    expect(formatTyped("1980-04-02", "mdy")).toBe("04/02/1980");
    expect(formatTyped("1980-04-02", "dmy")).toBe("02/04/1980");
    expect(formatTyped("1980-04-02", "ymd")).toBe("1980-04-02");
    expect(formatTyped("", "mdy")).toBe("");
    expect(dateInWords("1980-04-02")).toBe("2 April 1980");
  });

  it("finds the order a locale writes dates in", () => {
    expect(localeDateOrder("en-US")).toBe("mdy");
    expect(localeDateOrder("en-GB")).toBe("dmy");
    expect(localeDateOrder("sv-SE")).toBe("ymd");
  });
});
