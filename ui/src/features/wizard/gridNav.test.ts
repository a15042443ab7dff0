import { describe, expect, it } from "vitest";
import { type GridPos, move } from "./gridNav";

// Focus stops per cell in two rows of three days (a cell with no times has one: its "none").
const sizes = [
  [2, 1, 1],
  [1, 3, 1],
];
const size = (r: number, d: number) => sizes[r]?.[d] ?? 1;
const go = (from: GridPos, key: string, ctrl = false) => move(from, key, ctrl, 2, 3, size);

describe("week grid keys", () => {
  it("steps days with Left and Right, keeping the place in the cell where it can", () => {
    expect(go({ row: 1, day: 1, index: 2 }, "ArrowRight")).toEqual({ row: 1, day: 2, index: 0 });
    expect(go({ row: 0, day: 0, index: 1 }, "ArrowRight")).toEqual({ row: 0, day: 1, index: 0 });
    expect(go({ row: 0, day: 0, index: 0 }, "ArrowLeft")).toEqual({ row: 0, day: 0, index: 0 });
  });

  it("walks a day's times with Down and Up, then into the next or previous row", () => {
    expect(go({ row: 0, day: 0, index: 0 }, "ArrowDown")).toEqual({ row: 0, day: 0, index: 1 });
    expect(go({ row: 0, day: 1, index: 0 }, "ArrowDown")).toEqual({ row: 1, day: 1, index: 0 });
    expect(go({ row: 1, day: 1, index: 0 }, "ArrowUp")).toEqual({ row: 0, day: 1, index: 0 });
    expect(go({ row: 1, day: 0, index: 0 }, "ArrowUp")).toEqual({ row: 0, day: 0, index: 1 });
    expect(go({ row: 1, day: 1, index: 2 }, "ArrowDown")).toEqual({ row: 1, day: 1, index: 2 });
  });

  it("jumps to the row's ends with Home and End, the grid's with Ctrl, and ignores other keys", () => {
    expect(go({ row: 1, day: 1, index: 2 }, "Home")).toEqual({ row: 1, day: 0, index: 0 });
    expect(go({ row: 0, day: 0, index: 1 }, "End", true)).toEqual({ row: 1, day: 2, index: 0 });
    expect(go({ row: 0, day: 0, index: 0 }, "Enter")).toBeNull();
  });
});
