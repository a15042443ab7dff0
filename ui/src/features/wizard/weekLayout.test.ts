import { describe, expect, it } from "vitest";
import { ORG_A, ORG_B, option } from "../../test/fixtures";
import { addDays, buildWeek, firstDay, localDay } from "./weekLayout";

// Local times, so each lands on the day named whatever zone the tests run in.
const at = (day: string, time: string) => new Date(`${day}T${time}:00`).toISOString();

describe("week layout", () => {
  const options = [
    option("a-2", ORG_A, at("2026-12-03", "14:00")),
    option("a-1", ORG_A, at("2026-12-01", "09:00")),
    option("a-3", ORG_A, at("2026-12-01", "08:30")),
    option("b-1", ORG_B, at("2026-12-07", "16:15")),
    option("b-next", ORG_B, at("2026-12-08", "10:00")),
  ];
  const orgs = [
    { id: ORG_A.id, name: ORG_A.name },
    { id: ORG_B.id, name: ORG_B.name },
    { id: "org-c", name: "Quiet Clinic" },
  ];

  it("puts seven days across and every organisation asked down, times in their day earliest first", () => {
    const week = buildWeek(options, "organisation", "2026-12-01", orgs);
    expect(week.days).toEqual([
      "2026-12-01",
      "2026-12-02",
      "2026-12-03",
      "2026-12-04",
      "2026-12-05",
      "2026-12-06",
      "2026-12-07",
    ]);
    expect(week.rows.map((r) => r.label)).toEqual([ORG_A.name, ORG_B.name, "Quiet Clinic"]);
    const [a, b, c] = week.rows;
    expect(a?.cells.map((cell) => cell.map((o) => o.optionId))).toEqual([["a-3", "a-1"], [], ["a-2"], [], [], [], []]);
    expect(b?.cells[6]?.map((o) => o.optionId)).toEqual(["b-1"]);
    expect(c?.cells.every((cell) => cell.length === 0)).toBe(true);
    expect(week.later).toBe(true);
    expect(week.earlier).toBe(false);
  });

  it("marks each row's earliest time over the whole search, even when it is in another week", () => {
    const first = buildWeek(options, "organisation", "2026-12-01", orgs);
    expect(first.rows.map((r) => r.earliestId)).toEqual(["a-3", "b-1", null]);
    const second = buildWeek(options, "organisation", "2026-12-08", orgs);
    expect(second.rows[1]?.earliestId).toBe("b-1");
    expect(second.rows[1]?.cells[0]?.map((o) => o.optionId)).toEqual(["b-next"]);
    expect(second.earlier).toBe(true);
    expect(second.later).toBe(false);
  });

  it("puts one row per practitioner at each organisation when asked to", () => {
    const withOther = [...options, { ...option("a-4", ORG_A, at("2026-12-02", "11:00")), practitioner: "Dr. Amy Lee" }];
    const week = buildWeek(withOther, "practitioner", "2026-12-01", orgs);
    expect(week.rows.map((r) => r.label)).toEqual([
      `Dr. Ruth Schmidt · ${ORG_A.name}`,
      `Dr. Amy Lee · ${ORG_A.name}`,
      `Dr. Ruth Schmidt · ${ORG_B.name}`,
    ]);
    expect(week.rows[1]?.earliestId).toBe("a-4");
  });

  it("counts calendar days across month ends and starts at the window, else the earliest time", () => {
    expect(addDays("2026-11-28", 7)).toBe("2026-12-05");
    expect(addDays("2026-12-29", -30)).toBe("2026-11-29");
    expect(firstDay("2026-11-30", options)).toBe("2026-11-30");
    expect(firstDay(undefined, options)).toBe("2026-12-01");
    expect(localDay(at("2026-12-07", "23:45"))).toBe("2026-12-07");
  });
});
