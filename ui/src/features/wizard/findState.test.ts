import { describe, expect, it } from "vitest";
import type { FindProgress } from "../../ipc/bindings/FindProgress";
import { ORG_A, ORG_B, option } from "../../test/fixtures";
import { allOptions, applyProgress, isFinished, startSearch } from "./findState";

const msg = (over: Partial<FindProgress>): FindProgress => ({
  searchId: "s1",
  organisationId: ORG_A.id,
  organisationName: ORG_A.name,
  state: "done",
  options: [],
  error: null,
  ...over,
});

describe("find progress folding", () => {
  const seeded = startSearch([
    { id: ORG_A.id, name: ORG_A.name },
    { id: ORG_B.id, name: ORG_B.name },
  ]);

  it("starts every chosen organisation as pending and is not finished", () => {
    expect(seeded.orgs.map((o) => o.state)).toEqual(["pending", "pending"]);
    expect(isFinished(seeded)).toBe(false);
  });

  it("merges options from all organisations earliest first", () => {
    let s = applyProgress(
      seeded,
      msg({
        organisationId: ORG_B.id,
        organisationName: ORG_B.name,
        options: [option("b1", ORG_B, "2026-12-02T08:00:00Z")],
      }),
    );
    s = applyProgress(
      s,
      msg({ options: [option("a2", ORG_A, "2026-12-03T08:00:00Z"), option("a1", ORG_A, "2026-12-01T08:00:00Z")] }),
    );
    expect(allOptions(s).map((o) => o.optionId)).toEqual(["a1", "b1", "a2"]);
    expect(isFinished(s)).toBe(true);
  });

  it("keeps a failed organisation's error beside it without touching the others", () => {
    const s = applyProgress(
      seeded,
      msg({ organisationId: ORG_B.id, state: "failed", error: { code: "unreachable", message: "Sonoma: down." } }),
    );
    expect(s.orgs.find((o) => o.organisationId === ORG_B.id)?.error?.message).toBe("Sonoma: down.");
    expect(s.orgs.find((o) => o.organisationId === ORG_A.id)?.state).toBe("pending");
  });

  it("ignores messages of another search once one is under way", () => {
    const s = applyProgress(seeded, msg({}));
    const stale = applyProgress(
      s,
      msg({ searchId: "old", organisationId: ORG_B.id, options: [option("x", ORG_B, "2026-12-01T00:00:00Z")] }),
    );
    expect(stale).toBe(s);
  });
});
