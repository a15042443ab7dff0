import { describe, expect, it } from "vitest";
import { formatCountdown, isoDateFromToday, secondsLeft } from "./time";

describe("hold countdown arithmetic", () => {
  const expires = "2026-11-22T10:05:00Z";
  const at = (iso: string) => Date.parse(iso);

  it("counts whole seconds left until expiry", () => {
    expect(secondsLeft(expires, at("2026-11-22T10:00:00Z"))).toBe(300);
    expect(secondsLeft(expires, at("2026-11-22T10:04:59.400Z"))).toBe(0);
  });

  it("never goes negative after expiry, nor on a garbled time", () => {
    expect(secondsLeft(expires, at("2026-11-22T11:00:00Z"))).toBe(0);
    expect(secondsLeft("not a time", 0)).toBe(0);
  });

  it("formats as m:ss, and h:mm:ss past an hour", () => {
    expect(formatCountdown(299)).toBe("4:59");
    expect(formatCountdown(5)).toBe("0:05");
    expect(formatCountdown(3725)).toBe("1:02:05");
  });

  it("computes local calendar dates from today", () => {
    expect(isoDateFromToday(1, new Date(2026, 11, 31, 15))).toBe("2027-01-01");
  });
});
