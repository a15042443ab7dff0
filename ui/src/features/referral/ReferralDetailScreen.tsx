// One referral: what was asked (reason, priority, due date, referrer, note), the appointment, the
// event timeline; cancel and reschedule; finishing it when it stopped half-way (ResumeActions).
import { useState } from "react";
import { Button } from "react-aria-components";
import { codeLabel } from "../../components/CodePicker";
import { Countdown } from "../../components/Countdown";
import { DueBy } from "../../components/DueBy";
import { ErrorBanner } from "../../components/ErrorBanner";
import { StatusBadge } from "../../components/StatusBadge";
import type { ReferralDetail } from "../../ipc/bindings/ReferralDetail";
import type { ServiceChoice } from "../../ipc/bindings/ServiceChoice";
import { formatDate, formatDateTime } from "../../lib/time";
import { useCodeTables } from "../wizard/queries";
import { CancelDialog } from "./CancelDialog";
import { useReferral } from "./queries";
import { Reschedule } from "./Reschedule";
import { ResumeActions } from "./ResumeActions";

export function ReferralDetailScreen({ id }: { id: string }) {
  const referral = useReferral(id);
  const codes = useCodeTables();
  const [cancelling, setCancelling] = useState(false);
  const [rescheduling, setRescheduling] = useState(false);
  if (referral.isPending) return <p role="status">Loading…</p>;
  if (referral.isError) return <ErrorBanner error={referral.error} />;
  const d = referral.data;
  const s = d.summary;
  const canChange = s.status === "booked" || s.status === "rescheduled";
  return (
    <section aria-labelledby="detail-title" data-testid="referral-detail" data-status={s.status}>
      <h1 id="detail-title">
        {s.patient.name} <StatusBadge status={s.status} />
      </h1>
      <Facts d={d} />
      <div className="actions no-print">
        <Button data-testid="reschedule-button" isDisabled={!canChange} onPress={() => setRescheduling(true)}>
          Reschedule
        </Button>
        <Button
          className="danger"
          data-testid="cancel-button"
          isDisabled={!canChange && s.status !== "held"}
          onPress={() => setCancelling(true)}
        >
          Cancel appointment
        </Button>
        <Button onPress={() => window.print()}>Print</Button>
      </div>
      <ResumeActions key={s.id} detail={d} />
      {rescheduling && <Reschedule detail={d} onDone={() => setRescheduling(false)} />}
      <CancelDialog
        referralId={s.id}
        reasons={codes.data?.cancelReasons ?? []}
        isOpen={cancelling}
        onClose={() => setCancelling(false)}
      />
      <h2>Timeline</h2>
      <ol className="timeline" data-testid="timeline">
        {d.events.map((e, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: the audit trail is append-only and its events carry no id
          <li key={i} data-testid="timeline-event" data-outcome={e.outcome}>
            <time dateTime={e.at}>{formatDateTime(e.at)}</time> <strong>{e.action}</strong>
            {e.organisationName && ` · ${e.organisationName}`}{" "}
            <span className={`outcome outcome-${e.outcome}`}>{e.outcome}</span>
            <div>{e.detail}</div>
            {e.user && (
              <small className="muted" data-testid="timeline-actor">
                by {e.user}
                {e.workstation && ` on ${e.workstation}`}
              </small>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}

function Facts({ d }: { d: ReferralDetail }) {
  const s = d.summary;
  const rows: [string, React.ReactNode][] = [
    ["Organisation", s.organisationName ?? "Not chosen yet"],
    [
      "Appointment",
      s.appointmentStart
        ? `${formatDateTime(s.appointmentStart)}${d.appointmentEnd ? ` – ${formatDateTime(d.appointmentEnd)}` : ""}`
        : "—",
    ],
    ["With", d.practitioner ?? "—"],
    ["Where", d.location ?? "—"],
    ["Specialty", s.service.specialty?.display ?? "—"],
    ["Visit type", s.service.visitType?.display ?? "—"],
    ["Priority", s.service.priority.display],
    ["Reason", reasonText(s.service)],
    ["Due by", <DueBy key="due-by" dueBy={s.service.dueBy} overdue={s.overdue} />],
    ["Referred by", referrerText(s.service)],
    ["Call back", s.service.referrer?.phone ?? "—"],
    ["Note", s.service.note ?? "—"],
    ["Requested window", `${formatDate(d.window.start)} – ${formatDate(d.window.end)}`],
    [
      "Patient",
      `${s.patient.name}${s.patient.birthDate ? `, born ${formatDate(s.patient.birthDate)}` : ""}${s.patient.mrn ? `, MRN ${s.patient.mrn}` : ""}`,
    ],
    ["Comment", d.bookingComment ?? "—"],
    ["Created", `${formatDateTime(s.createdAt)} by ${d.createdBy}`],
  ];
  return (
    <dl className="facts">
      {rows.map(([k, v]) => (
        <div key={k} data-testid={`fact-${k.toLowerCase().replace(/\s+/g, "-")}`}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
      {s.status === "held" && s.holdExpiresAt && (
        <div>
          <dt>Hold</dt>
          <dd>
            <Countdown expiresAt={s.holdExpiresAt} />
          </dd>
        </div>
      )}
    </dl>
  );
}

/** The reason as coded and in words: `Psoriasis (SNOMED CT 9014002) — itchy plaques`. */
export function reasonText(s: ServiceChoice): string {
  const coded = s.reasonCode ? `${s.reasonCode.display} (${codeLabel(s.reasonCode)})` : "";
  return [coded, s.reason.trim()].filter(Boolean).join(" — ") || "—";
}

function referrerText(s: ServiceChoice): string {
  const r = s.referrer;
  if (!r) return "—";
  return r.npi ? `${r.name}, NPI ${r.npi}` : r.name;
}
