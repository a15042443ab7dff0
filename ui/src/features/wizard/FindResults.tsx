// Results as they stream in: each organisation's progress (and its error, beside it), then every
// option earliest first, as a list or as a week (the user's choice, kept for the session). Shared
// by the wizard and by reschedule; both views choose through the same `onChoose`.
import { lazy, Suspense } from "react";
import { Button } from "react-aria-components";
import { ChoiceToggle } from "../../components/ChoiceToggle";
import { ErrorBanner } from "../../components/ErrorBanner";
import type { SlotOption } from "../../ipc/bindings/SlotOption";
import { formatDateTime } from "../../lib/time";
import { useSessionChoice } from "../../lib/useSessionChoice";
import { allOptions, isFinished, type SearchState } from "./findState";
import { organisationTime } from "./orgTime";

// Its own chunk: users who keep to the list never load it.
const WeekView = lazy(() => import("./WeekView").then((m) => ({ default: m.WeekView })));

interface Props {
  search: SearchState;
  actionLabel: string;
  busyOptionId: string | null;
  onChoose: (option: SlotOption) => void;
  /** Local `YYYY-MM-DD` the search window starts on: the week view's first day. */
  windowStart?: string;
}

const VIEWS = ["list", "week"] as const;
type View = (typeof VIEWS)[number];

const STATE_TEXT = { pending: "Asking…", done: "Answered", failed: "Could not answer" } as const;

export function FindResults({ search, actionLabel, busyOptionId, onChoose, windowStart }: Props) {
  const options = allOptions(search);
  const finished = isFinished(search);
  const [view, setView] = useSessionChoice<View>("refdesk.results.view", VIEWS, "list");
  return (
    <div className="results" data-testid="find-results" data-finished={finished}>
      <ul className="org-progress" aria-label="Organisations asked">
        {search.orgs.map((o) => (
          <li
            key={o.organisationId}
            data-testid={`find-progress-${o.organisationId}`}
            data-state={o.state}
            className={`org-state-${o.state}`}
          >
            <strong>{o.organisationName}</strong>{" "}
            <span>
              {o.state === "done"
                ? `${o.options.length} ${o.options.length === 1 ? "time" : "times"} offered`
                : STATE_TEXT[o.state]}
            </span>
            {o.state === "failed" && o.error && (
              <ErrorBanner error={o.error} testId={`find-error-${o.organisationId}`} />
            )}
          </li>
        ))}
      </ul>
      <p role="status" aria-live="polite" data-testid="find-status">
        {finished
          ? `${options.length} appointment ${options.length === 1 ? "time" : "times"} found.`
          : `Searching… ${options.length} found so far.`}
      </p>
      <ChoiceToggle
        label="Show times as"
        testId="results-view"
        value={view}
        choices={[
          { id: "list", label: "List" },
          { id: "week", label: "Week" },
        ]}
        onChange={setView}
      />
      {view === "week" && (
        <Suspense fallback={<p role="status">Loading the week…</p>}>
          <WeekView
            options={options}
            organisations={search.orgs.map((o) => ({ id: o.organisationId, name: o.organisationName }))}
            windowStart={windowStart}
            actionLabel={actionLabel}
            busyOptionId={busyOptionId}
            onChoose={onChoose}
          />
        </Suspense>
      )}
      {view === "list" && options.length > 0 && (
        <ol className="options" aria-label="Appointment times, earliest first">
          {options.map((opt) => (
            <li
              key={opt.optionId}
              data-testid="result-option"
              data-option-id={opt.optionId}
              data-organisation-id={opt.organisationId}
              data-practitioner-id={opt.practitionerId ?? undefined}
              data-start={opt.start}
            >
              <div>
                <strong>{formatDateTime(opt.start)}</strong>
                {organisationTime(opt) && (
                  <span className="muted" data-testid="organisation-time">
                    {" "}
                    ({organisationTime(opt)})
                  </span>
                )}{" "}
                · {opt.organisationName}
                <div className="muted">
                  {[opt.practitioner, opt.location, opt.visitType?.display, opt.comment].filter(Boolean).join(" · ")}
                </div>
              </div>
              <Button
                data-testid="hold-button"
                data-option-id={opt.optionId}
                isDisabled={busyOptionId !== null}
                aria-label={`${actionLabel}: ${formatDateTime(opt.start)} at ${opt.organisationName}`}
                onPress={() => onChoose(opt)}
              >
                {busyOptionId === opt.optionId ? "Holding…" : actionLabel}
              </Button>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
