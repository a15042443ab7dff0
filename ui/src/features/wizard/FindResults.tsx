// Results as they stream in: each organisation's progress (and its error, beside it), then every
// option earliest first. Shared by the wizard and by reschedule.
import { Button } from "react-aria-components";
import { ErrorBanner } from "../../components/ErrorBanner";
import type { SlotOption } from "../../ipc/bindings/SlotOption";
import { formatDateTime } from "../../lib/time";
import { allOptions, isFinished, type SearchState } from "./findState";
import { organisationTime } from "./orgTime";

interface Props {
  search: SearchState;
  actionLabel: string;
  busyOptionId: string | null;
  onChoose: (option: SlotOption) => void;
}

const STATE_TEXT = { pending: "Asking…", done: "Answered", failed: "Could not answer" } as const;

export function FindResults({ search, actionLabel, busyOptionId, onChoose }: Props) {
  const options = allOptions(search);
  const finished = isFinished(search);
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
      {options.length > 0 && (
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
