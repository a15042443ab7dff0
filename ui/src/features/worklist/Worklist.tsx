// Home: outgoing referrals with status, organisation, patient, date, due date and live hold
// countdowns, filtered by status, organisation, date range, overdue and patient name or MRN, and
// sorted newest first or by due date. When a home organisation is set, a second tab shows its
// queue of referral orders (features/queue, loaded on first use).
import { lazy, Suspense, useState } from "react";
import { Countdown } from "../../components/Countdown";
import { DateField } from "../../components/DateField";
import { DueBy } from "../../components/DueBy";
import { ErrorBanner } from "../../components/ErrorBanner";
import { SelectInput } from "../../components/Field";
import { PlainButton } from "../../components/PlainButton";
import { STATUS_LABELS, StatusBadge } from "../../components/StatusBadge";
import type { ListReferralsRequest } from "../../ipc/bindings/ListReferralsRequest";
import type { ReferralStatus } from "../../ipc/bindings/ReferralStatus";
import type { ReferralSummary } from "../../ipc/bindings/ReferralSummary";
import type { WorklistSort } from "../../ipc/bindings/WorklistSort";
import { hrefFor, navigate } from "../../lib/route";
import { formatDateTime, isoDateFromToday } from "../../lib/time";
import { useSessionChoice } from "../../lib/useSessionChoice";
import { useHome } from "../queue/queries";
import { useOrganisations } from "../settings/queries";
import { useReferrals } from "./queries";
import { SyncLine } from "./SyncLine";

export const WORKLIST_SEARCH_ID = "worklist-search";

const QueueTab = lazy(() => import("../queue/QueueTab").then((m) => ({ default: m.QueueTab })));

type Tab = "referrals" | "queue";
const TABS: readonly Tab[] = ["referrals", "queue"];

/** The date window: a preset relative to today, or `custom` with the From/To dates. */
export type When = "any" | "today" | "next7" | "next30" | "past30" | "custom";

export interface WorklistFilter {
  status: ReferralStatus | "";
  organisationId: string;
  when: When;
  /** `YYYY-MM-DD` or blank; used when `when` is `custom`. */
  from: string;
  to: string;
  text: string;
  sort: WorklistSort;
  overdueOnly: boolean;
}

export const NO_FILTER: WorklistFilter = {
  status: "",
  organisationId: "",
  when: "any",
  from: "",
  to: "",
  text: "",
  sort: "newest",
  overdueOnly: false,
};

const SORT_CHOICES: { value: WorklistSort; label: string }[] = [
  { value: "newest", label: "Newest first" },
  { value: "due_by", label: "Due date, soonest first" },
];

const WHEN_CHOICES: { value: When; label: string }[] = [
  { value: "today", label: "Today" },
  { value: "next7", label: "Next 7 days" },
  { value: "next30", label: "Next 30 days" },
  { value: "past30", label: "Past 30 days" },
  { value: "custom", label: "Dates…" },
];

/** Inclusive day offsets from today for each preset (`null` = open end). */
const WHEN_DAYS: Record<Exclude<When, "custom">, [number | null, number | null]> = {
  any: [null, null],
  today: [0, 0],
  next7: [0, 6],
  next30: [0, 29],
  past30: [-29, 0],
};

/** The from/to dates a filter asks for, presets resolved against `now`. */
function dateWindow(f: WorklistFilter, now: Date): [string | null, string | null] {
  if (f.when === "custom") return [f.from || null, f.to || null];
  const [from, to] = WHEN_DAYS[f.when];
  return [from === null ? null : isoDateFromToday(from, now), to === null ? null : isoDateFromToday(to, now)];
}

/** The list_referrals request for what the filter bar shows (blank = no criterion). */
export function toRequest(f: WorklistFilter, now: Date = new Date()): ListReferralsRequest {
  const text = f.text.trim();
  const [from, to] = dateWindow(f, now);
  return {
    statuses: f.status ? [f.status] : [],
    organisationId: f.organisationId || null,
    from,
    to,
    text: text || null,
    limit: 500,
    sort: f.sort,
    overdueOnly: f.overdueOnly,
    // The days above, and the day "overdue" is judged on, are the user's own; the backend needs
    // the offset to turn them into instants.
    utcOffsetMinutes: -now.getTimezoneOffset(),
  };
}

const STATUS_CHOICES = (Object.keys(STATUS_LABELS) as ReferralStatus[]).map((s) => ({
  value: s,
  label: STATUS_LABELS[s],
}));

export function Worklist({ needsAttention = 0 }: { needsAttention?: number }) {
  const [filter, setFilter] = useState<WorklistFilter>(NO_FILTER);
  const home = useHome();
  const [chosen, setTab] = useSessionChoice<Tab>("worklist.tab", TABS, "referrals");
  // Without a home organisation there is no queue, whatever was chosen before.
  const homeName = home.data?.configured ? (home.data.home?.name ?? "the home organisation") : null;
  const tab: Tab = homeName ? chosen : "referrals";

  return (
    <section aria-labelledby="worklist-title" data-testid="worklist" data-tab={tab}>
      <div className="title-row">
        <h1 id="worklist-title">Worklist</h1>
        <PlainButton className="primary" data-testid="new-referral" onPress={() => navigate({ screen: "new" })}>
          New referral <kbd>N</kbd>
        </PlainButton>
      </div>
      <SyncLine />
      {needsAttention > 0 && (
        <p className="attention" role="status" data-testid="needs-attention-notice">
          {needsAttention === 1 ? "1 referral needs" : `${needsAttention} referrals need`} attention: check them with
          the organisation.
        </p>
      )}
      {homeName && <WorklistTabs tab={tab} homeName={homeName} onTab={setTab} />}
      {homeName ? (
        <div role="tabpanel" aria-labelledby={`worklist-tab-${tab}`} data-testid={`worklist-panel-${tab}`}>
          {tab === "queue" ? (
            <Suspense fallback={<p className="loading">Loading…</p>}>
              <QueueTab />
            </Suspense>
          ) : (
            <ReferralsTab filter={filter} setFilter={setFilter} />
          )}
        </div>
      ) : (
        <ReferralsTab filter={filter} setFilter={setFilter} />
      )}
    </section>
  );
}

/** The two tabs; arrow keys move between them as in any tab list. */
function WorklistTabs({ tab, homeName, onTab }: { tab: Tab; homeName: string; onTab: (t: Tab) => void }) {
  const labels: Record<Tab, string> = { referrals: "Referrals", queue: `Orders from ${homeName}` };
  const onKey = (e: React.KeyboardEvent) => {
    if (e.key !== "ArrowLeft" && e.key !== "ArrowRight") return;
    const next = tab === "referrals" ? "queue" : "referrals";
    onTab(next);
    document.getElementById(`worklist-tab-${next}`)?.focus();
  };
  return (
    <div className="tabs" role="tablist" aria-label="Worklist" tabIndex={-1} onKeyDown={onKey}>
      {TABS.map((t) => (
        <button
          key={t}
          id={`worklist-tab-${t}`}
          type="button"
          role="tab"
          aria-selected={tab === t}
          tabIndex={tab === t ? 0 : -1}
          data-testid={`worklist-tab-${t}`}
          onClick={() => onTab(t)}
        >
          {labels[t]}
        </button>
      ))}
    </div>
  );
}

interface ReferralsTabProps {
  filter: WorklistFilter;
  setFilter: React.Dispatch<React.SetStateAction<WorklistFilter>>;
}

function ReferralsTab({ filter, setFilter }: ReferralsTabProps) {
  const referrals = useReferrals(toRequest(filter));
  const orgs = useOrganisations(true);
  const set = (patch: Partial<WorklistFilter>) => setFilter((f) => ({ ...f, ...patch }));
  return (
    <>
      {/* biome-ignore lint/a11y/useSemanticElements: the form is the search landmark; a <search> wrapper would only duplicate it */}
      <form className="filters" role="search" aria-label="Filter referrals" onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor={WORKLIST_SEARCH_ID}>Patient name or MRN</label>
          <input
            id={WORKLIST_SEARCH_ID}
            type="search"
            value={filter.text}
            data-testid="worklist-search"
            placeholder="Search ( / )"
            onChange={(e) => set({ text: e.target.value })}
          />
        </div>
        <SelectInput
          label="Status"
          value={filter.status}
          placeholder="All statuses"
          choices={STATUS_CHOICES}
          testId="filter-status"
          onChange={(v) => set({ status: v as ReferralStatus | "" })}
        />
        <SelectInput
          label="Organisation"
          value={filter.organisationId}
          placeholder="All organisations"
          testId="filter-organisation"
          choices={(orgs.data ?? []).map((o) => ({ value: o.id, label: o.name }))}
          onChange={(v) => set({ organisationId: v })}
        />
        <SelectInput
          label="When"
          value={filter.when === "any" ? "" : filter.when}
          placeholder="Any time"
          testId="filter-when"
          choices={WHEN_CHOICES}
          onChange={(v) => set({ when: (v || "any") as When })}
        />
        {filter.when === "custom" && (
          <>
            <DateField label="From" value={filter.from} testId="filter-from" onChange={(v) => set({ from: v })} />
            <DateField label="To" value={filter.to} testId="filter-to" onChange={(v) => set({ to: v })} />
          </>
        )}
        <SelectInput
          label="Sort"
          value={filter.sort}
          testId="worklist-sort"
          choices={SORT_CHOICES}
          onChange={(v) => set({ sort: v as WorklistSort })}
        />
        <label className="check">
          <input
            type="checkbox"
            checked={filter.overdueOnly}
            data-testid="filter-overdue"
            onChange={(e) => set({ overdueOnly: e.target.checked })}
          />
          Overdue only
        </label>
        <PlainButton data-testid="filter-clear" onPress={() => setFilter(NO_FILTER)}>
          Clear
        </PlainButton>
      </form>
      <ErrorBanner error={referrals.error} />
      {referrals.data && <WorklistTable rows={referrals.data.referrals} total={referrals.data.total} />}
    </>
  );
}

function WorklistTable({ rows, total }: { rows: ReferralSummary[]; total: number }) {
  if (rows.length === 0)
    return (
      <p className="empty" data-testid="worklist-empty">
        No referrals match.
      </p>
    );
  return (
    <>
      <p className="count" aria-live="polite" data-testid="worklist-count">
        {total === rows.length
          ? `${total} ${total === 1 ? "referral" : "referrals"}`
          : `Showing ${rows.length} of ${total} referrals`}
      </p>
      <table className="worklist">
        <thead>
          <tr>
            <th scope="col">Status</th>
            <th scope="col">Patient</th>
            <th scope="col">Organisation</th>
            <th scope="col">Service</th>
            <th scope="col">Appointment</th>
            <th scope="col">Due by</th>
            <th scope="col">Hold</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <WorklistRow key={r.id} r={r} />
          ))}
        </tbody>
      </table>
    </>
  );
}

function WorklistRow({ r }: { r: ReferralSummary }) {
  const service = r.service.specialty?.display ?? r.service.visitType?.display ?? r.service.reason;
  return (
    <tr data-testid="worklist-row" data-referral-id={r.id} data-status={r.status} data-overdue={r.overdue}>
      <td>
        <StatusBadge status={r.status} />
      </td>
      <td>
        <a href={hrefFor({ screen: "referral", id: r.id })}>{r.patient.name}</a>
        {r.patient.mrn && <div className="muted">MRN {r.patient.mrn}</div>}
      </td>
      <td>{r.organisationName ?? "—"}</td>
      <td>{service}</td>
      <td>{formatDateTime(r.appointmentStart)}</td>
      <td>
        <DueBy dueBy={r.service.dueBy} overdue={r.overdue} />
      </td>
      <td>
        {r.status === "held" && r.holdExpiresAt ? (
          <Countdown expiresAt={r.holdExpiresAt} testId="worklist-countdown" />
        ) : (
          ""
        )}
      </td>
    </tr>
  );
}
