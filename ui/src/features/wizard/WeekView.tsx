// The results as a week (loaded only when first shown): seven days from the window's start with
// previous / next week, organisations or practitioners down, and the grid of times.
import { useState } from "react";
import { Button } from "react-aria-components";
import { ChoiceToggle } from "../../components/ChoiceToggle";
import type { SlotOption } from "../../ipc/bindings/SlotOption";
import { useSessionChoice } from "../../lib/useSessionChoice";
import { shortDay, WeekGrid } from "./WeekGrid";
import { addDays, buildWeek, firstDay, type RowsBy } from "./weekLayout";

export interface WeekViewProps {
  options: readonly SlotOption[];
  /** The organisations asked, in order: each gets a row even with no times. */
  organisations: readonly { id: string; name: string }[];
  /** Local `YYYY-MM-DD` the search window starts on, when known. */
  windowStart?: string;
  actionLabel: string;
  busyOptionId: string | null;
  onChoose: (option: SlotOption) => void;
}

const ROWS_BY = ["organisation", "practitioner"] as const;

export function WeekView({ options, organisations, windowStart, actionLabel, busyOptionId, onChoose }: WeekViewProps) {
  const [weeks, setWeeks] = useState(0);
  const [rowsBy, setRowsBy] = useSessionChoice<RowsBy>("refdesk.week.rows", ROWS_BY, "organisation");
  const start = addDays(firstDay(windowStart, options), 7 * weeks);
  const week = buildWeek(options, rowsBy, start, organisations);
  const last = week.days[week.days.length - 1] ?? start;
  return (
    <div className="week-view" data-testid="week-view" data-start={start}>
      <div className="week-toolbar">
        <Button
          data-testid="week-previous"
          isDisabled={weeks === 0 && !week.earlier}
          onPress={() => setWeeks(weeks - 1)}
        >
          Previous week
        </Button>
        <p role="status" aria-live="polite" data-testid="week-range">
          {shortDay(start)} to {shortDay(last)}
        </p>
        <Button data-testid="week-next" isDisabled={!week.later} onPress={() => setWeeks(weeks + 1)}>
          Next week
        </Button>
        <ChoiceToggle
          label="Rows"
          testId="week-rows"
          value={rowsBy}
          choices={[
            { id: "organisation", label: "Organisations" },
            { id: "practitioner", label: "Practitioners" },
          ]}
          onChange={setRowsBy}
        />
      </div>
      <WeekGrid week={week} rowsBy={rowsBy} actionLabel={actionLabel} busyOptionId={busyOptionId} onChoose={onChoose} />
    </div>
  );
}
