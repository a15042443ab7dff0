// Arrow-key movement in the week grid. A cell's times stack vertically, so Up and Down walk a
// day's column (through a cell's times, then into the row above or below) while Left and Right
// step a day, keeping the time's place in the cell where the next cell has as many.

export interface GridPos {
  row: number;
  day: number;
  /** The time within the cell; 0 in a cell with none. */
  index: number;
}

/** How many focus stops the cell has: its times, or one for "none". */
export type CellSize = (row: number, day: number) => number;

const clamp = (n: number, max: number) => Math.max(0, Math.min(n, max));

/** Keeps `pos` inside a grid of `rows` × `days` whose cells have `size` stops. */
export function clampPos(pos: GridPos, rows: number, days: number, size: CellSize): GridPos {
  const row = clamp(pos.row, rows - 1);
  const day = clamp(pos.day, days - 1);
  return { row, day, index: clamp(pos.index, size(row, day) - 1) };
}

/** Where `key` moves focus from `pos`, or null when the key is not a grid movement. */
export function move(
  pos: GridPos,
  key: string,
  ctrl: boolean,
  rows: number,
  days: number,
  size: CellSize,
): GridPos | null {
  const at = (row: number, day: number, index: number) => clampPos({ row, day, index }, rows, days, size);
  switch (key) {
    case "ArrowRight":
      return at(pos.row, pos.day + 1, pos.index);
    case "ArrowLeft":
      return at(pos.row, pos.day - 1, pos.index);
    case "ArrowDown":
      if (pos.index < size(pos.row, pos.day) - 1) return at(pos.row, pos.day, pos.index + 1);
      return pos.row < rows - 1 ? at(pos.row + 1, pos.day, 0) : pos;
    case "ArrowUp":
      if (pos.index > 0) return at(pos.row, pos.day, pos.index - 1);
      return pos.row > 0 ? at(pos.row - 1, pos.day, size(pos.row - 1, pos.day) - 1) : pos;
    case "Home":
      return at(ctrl ? 0 : pos.row, 0, 0);
    case "End":
      return at(ctrl ? rows - 1 : pos.row, days - 1, 0);
    default:
      return null;
  }
}
