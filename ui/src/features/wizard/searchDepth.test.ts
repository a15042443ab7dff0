import { describe, expect, it } from "vitest";
import type { FindProgress } from "../../ipc/bindings/FindProgress";
import { ORG_A, ORG_B, option } from "../../test/fixtures";
import { emptyDraft } from "./draft";
import { allOptions, appendProgress, applyProgress, moreAfter, startSearch } from "./findState";
import { organisationTime } from "./orgTime";
import { toFindRequest } from "./searchRequest";

const done = (org: typeof ORG_A, options: FindProgress["options"], searchId = "s1"): FindProgress => ({
  searchId,
  organisationId: org.id,
  organisationName: org.name,
  state: "done",
  options,
  error: null,
});

describe("more times", () => {
  const shown = [
    done(ORG_A, [option("a1", ORG_A, "2026-12-01T09:00:00Z"), option("a2", ORG_A, "2026-12-02T09:00:00Z")]),
    done(ORG_B, [option("b1", ORG_B, "2026-12-05T10:00:00Z")]),
  ].reduce(applyProgress, startSearch([ORG_A, ORG_B]));

  it("starts after the earliest of each organisation's last time, so none is skipped", () => {
    expect(moreAfter(shown)).toBe("2026-12-02T09:00:00.000Z");
    expect(moreAfter(startSearch([ORG_A]))).toBeNull();
  });

  it("adds the later times after the earlier ones and repeats none, even under a new option id", () => {
    const more = [
      done(ORG_A, [option("a3", ORG_A, "2026-12-03T09:00:00Z")], "s2"),
      done(
        ORG_B,
        [option("b1-again", ORG_B, "2026-12-05T10:00:00Z"), option("b2", ORG_B, "2026-12-06T10:00:00Z")],
        "s2",
      ),
    ].reduce(appendProgress, shown);
    const starts = allOptions(more).map((o) => `${o.organisationId} ${o.start}`);
    expect(starts).toEqual([
      "org-a 2026-12-01T09:00:00Z",
      "org-a 2026-12-02T09:00:00Z",
      "org-a 2026-12-03T09:00:00Z",
      "org-b 2026-12-05T10:00:00Z",
      "org-b 2026-12-06T10:00:00Z",
    ]);
  });

  it("keeps what an organisation showed when its follow-up fails", () => {
    const failed: FindProgress = { ...done(ORG_A, []), state: "failed" };
    expect(appendProgress(shown, failed)).toBe(shown);
  });
});

describe("the search request", () => {
  const draft = { ...emptyDraft(), organisationIds: [ORG_A.id, ORG_B.id], start: "2026-12-01", end: "2026-12-10" };

  it("asks every chosen organisation on the user's calendar when nothing is preferred", () => {
    const req = toFindRequest(draft, "r1");
    expect(req.organisationIds).toEqual([ORG_A.id, ORG_B.id]);
    expect(req.practitioner).toBeUndefined();
    expect(req.utcOffsetMinutes).toBe(-new Date("2026-12-01T00:00:00").getTimezoneOffset());
  });

  it("narrows to the organisation a chosen practitioner works at, with the time of day", () => {
    const req = toFindRequest({ ...draft, practitioner: `${ORG_B.id}|pract-3`, timeOfDay: "afternoon" }, "r1");
    expect(req).toMatchObject({ organisationIds: [ORG_B.id], practitioner: "pract-3", timeOfDay: "afternoon" });
  });

  it("drops a location of another organisation than the chosen practitioner's", () => {
    const req = toFindRequest(
      { ...draft, practitioner: `${ORG_B.id}|pract-3`, location: `${ORG_A.id}|Location/loc-1` },
      "r1",
    );
    expect(req.location).toBeUndefined();
    const alone = toFindRequest({ ...draft, location: `${ORG_A.id}|Location/loc-1` }, "r1");
    expect(alone).toMatchObject({ organisationIds: [ORG_A.id], location: "Location/loc-1" });
  });
});

describe("the organisation's clock", () => {
  const start = "2026-12-01T15:00:00Z";
  const desk = -new Date(start).getTimezoneOffset();

  it("is shown when it differs from the desk's", () => {
    const there = organisationTime({ start, organisationUtcOffsetMinutes: desk - 360 });
    const hour = ((((15 * 60 + desk - 360) / 60) % 24) + 24) % 24;
    expect(there).toContain(`${String(Math.floor(hour)).padStart(2, "0")}:00`);
    expect(there).toContain("at the organisation");
  });

  it("is left out when it reads like the desk's or is unknown", () => {
    expect(organisationTime({ start, organisationUtcOffsetMinutes: desk })).toBeNull();
    expect(organisationTime({ start })).toBeNull();
  });
});
