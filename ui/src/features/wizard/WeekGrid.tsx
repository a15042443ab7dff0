// The week as an accessible grid: days across, rows down, each cell's times as buttons. One focus
// stop for the whole grid (roving tabindex); arrow keys move it (gridNav.ts), Enter or Space on a
// time chooses it the same way the list's button does.
import { type KeyboardEvent, useEffect, useRef, useState } from "react";
import type { SlotOption } from "../../ipc/bindings/SlotOption";
import { formatDateTime } from "../../lib/time";
import { clampPos, type GridPos, move } from "./gridNav";
import type { RowsBy, Week } from "./weekLayout";

interface Props {
  week: Week;
  rowsBy: RowsBy;
  actionLabel: string;
  busyOptionId: string | null;
  onChoose: (option: SlotOption) => void;
}

// Made when the week is first shown, like the list's formatters.
const timeFormat = new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit" });
const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: "short", day: "numeric", month: "short" });
/** Compact local time of day, e.g. 09:30. */
export const shortTime = (iso: string) => timeFormat.format(new Date(iso));
/** A column's day, e.g. Tue 1 Dec. */
export const shortDay = (day: string) => dayFormat.format(new Date(`${day}T12:00:00`));

const posKey = (p: GridPos) => `${p.row}-${p.day}-${p.index}`;

function parsePos(el: EventTarget): GridPos | null {
  const raw = el instanceof HTMLElement ? el.dataset.pos : undefined;
  const [row, day, index] = (raw ?? "").split("-").map(Number);
  if (row === undefined || day === undefined || index === undefined || Number.isNaN(index)) return null;
  return { row, day, index };
}

export function WeekGrid({ week, rowsBy, actionLabel, busyOptionId, onChoose }: Props) {
  const [wanted, setWanted] = useState<GridPos>({ row: 0, day: 0, index: 0 });
  const moved = useRef(false);
  const grid = useRef<HTMLTableElement>(null);
  const size = (row: number, day: number) => Math.max(1, week.rows[row]?.cells[day]?.length ?? 0);
  // Results stream in and weeks change under the focus: it stays on a stop that exists.
  const pos = clampPos(wanted, week.rows.length, week.days.length, size);
  const focusKey = posKey(pos);

  useEffect(() => {
    if (!moved.current) return;
    moved.current = false;
    grid.current?.querySelector<HTMLElement>(`[data-pos="${focusKey}"]`)?.focus();
  }, [focusKey]);

  const onKeyDown = (e: KeyboardEvent) => {
    const next = move(pos, e.key, e.ctrlKey || e.metaKey, week.rows.length, week.days.length, size);
    if (!next) return;
    e.preventDefault();
    // At an edge the key moves nothing; focus is then left alone.
    moved.current = posKey(next) !== focusKey;
    setWanted(next);
  };
  const onFocus = (e: { target: EventTarget }) => {
    const at = parsePos(e.target);
    if (at) setWanted(at);
  };
  const stop = (p: GridPos) => ({ "data-pos": posKey(p), tabIndex: posKey(p) === focusKey ? 0 : -1 });

  return (
    <table
      ref={grid}
      // biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: a table with the grid's keyboard model; its cells become gridcells
      role="grid"
      className="week-grid"
      data-testid="week-grid"
      aria-label="Appointment times by day"
      onKeyDown={onKeyDown}
      onFocus={onFocus}
    >
      <thead>
        <tr>
          <th scope="col">{rowsBy === "organisation" ? "Organisation" : "Practitioner"}</th>
          {week.days.map((d) => (
            <th key={d} scope="col" data-testid="week-day" data-day={d}>
              {shortDay(d)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {week.rows.map((r, row) => (
          <tr key={r.key} data-testid="week-row" data-row-key={r.key}>
            <th scope="row">{r.label}</th>
            {r.cells.map((times, day) => (
              <td
                key={week.days[day]}
                // biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: a cell of the grid the table is
                role="gridcell"
                data-testid="week-cell"
                data-day={week.days[day]}
                data-pos={times.length === 0 ? posKey({ row, day, index: 0 }) : undefined}
                tabIndex={times.length === 0 && posKey({ row, day, index: 0 }) === focusKey ? 0 : -1}
              >
                {times.length === 0 ? (
                  <span className="muted">none</span>
                ) : (
                  <ul>
                    {times.map((o, index) => (
                      <li key={o.optionId}>
                        <button
                          type="button"
                          className={o.optionId === r.earliestId ? "week-time earliest" : "week-time"}
                          data-testid="week-time"
                          data-option-id={o.optionId}
                          data-organisation-id={o.organisationId}
                          data-earliest={o.optionId === r.earliestId}
                          aria-disabled={busyOptionId !== null}
                          aria-label={`${actionLabel}: ${formatDateTime(o.start)} at ${o.organisationName}${
                            o.practitioner ? ` with ${o.practitioner}` : ""
                          }${o.optionId === r.earliestId ? " (earliest)" : ""}`}
                          onClick={() => {
                            if (busyOptionId === null) onChoose(o);
                          }}
                          {...stop({ row, day, index })}
                        >
                          {busyOptionId === o.optionId ? "Holding…" : shortTime(o.start)}
                          {o.optionId === r.earliestId && <span className="earliest-mark"> earliest</span>}
                        </button>
                      </li>
                    ))}
                  </ul>
                )}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
