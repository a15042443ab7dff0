// Finishing a referral from its detail, whatever its status: no time yet (draft, searching,
// failed) → search again with its stored inputs, hold and book; held → book with the live
// countdown, or release; needs attention → the guided resolution (Resolve.tsx). The wizard's
// results and book components are reused as they are.
import { useState } from "react";
import { Button } from "react-aria-components";
import { DateField } from "../../components/DateField";
import { ErrorBanner } from "../../components/ErrorBanner";
import type { ReferralDetail } from "../../ipc/bindings/ReferralDetail";
import type { SlotOption } from "../../ipc/bindings/SlotOption";
import { describeError } from "../../lib/errors";
import { formatDate, isoDateFromToday } from "../../lib/time";
import { BookStep } from "../wizard/BookStep";
import { FindResults } from "../wizard/FindResults";
import { useBookSlot } from "../wizard/queries";
import { useHoldFromDetail, useReleaseFromDetail, useResumeSearch } from "./queries";
import { Resolve } from "./Resolve";

export function ResumeActions({ detail }: { detail: ReferralDetail }) {
  switch (detail.summary.status) {
    case "draft":
    case "searching":
    case "failed":
      return <SearchAgain detail={detail} />;
    case "held":
      return <BookHeld detail={detail} />;
    case "needs_attention":
      return <Resolve detail={detail} />;
    default:
      return null;
  }
}

const LEAD: Record<string, string> = {
  draft: "No organisation has been asked yet.",
  searching: "No time is held or booked for this referral yet.",
  failed: "The last attempt did not go through.",
};

function SearchAgain({ detail }: { detail: ReferralDetail }) {
  const s = detail.summary;
  const search = useResumeSearch();
  const hold = useHoldFromDetail();
  const book = useBookSlot();
  // An organisation without $hold: the chosen time is booked directly.
  const [direct, setDirect] = useState<SlotOption | null>(null);
  const passed = detail.window.end < isoDateFromToday(0);
  // A referral just started (from a queue order) has never been searched.
  const fresh = s.status === "draft";
  const [start, setStart] = useState(isoDateFromToday(1));
  const [end, setEnd] = useState(isoDateFromToday(15));
  const orgs = s.organisationId ? [{ id: s.organisationId, name: s.organisationName ?? s.organisationId }] : [];
  const run = () => void search.run({ referralId: s.id, ...(passed ? { window: { start, end } } : {}) }, orgs);
  const choose = (o: SlotOption) =>
    hold.mutate(
      { referralId: s.id, optionId: o.optionId },
      { onError: (e) => describeError(e).code === "unsupported" && setDirect(o) },
    );
  if (direct) {
    return (
      <section className="resume" aria-label="Book" data-testid="resume-direct">
        <BookStep
          referralId={s.id}
          option={direct}
          expiresAt={null}
          booking={book.isPending}
          error={book.error}
          onBook={(c) => book.mutate({ referralId: s.id, optionId: direct.optionId, comment: c.trim() || null })}
          onBack={() => setDirect(null)}
        />
      </section>
    );
  }
  return (
    <section className="resume no-print" aria-labelledby="resume-title" data-testid="resume-search">
      <h2 id="resume-title">Find a time</h2>
      <p>
        {LEAD[s.status]}{" "}
        {passed
          ? `The requested dates (${formatDate(detail.window.start)} – ${formatDate(detail.window.end)}) have passed: choose new ones.`
          : `Search ${fresh ? "" : "again "}with the referral's patient, service, organisations and dates (${formatDate(detail.window.start)} – ${formatDate(detail.window.end)}).`}
      </p>
      {passed && (
        <div className="grid">
          <DateField label="Earliest date" value={start} testId="resume-start" onChange={setStart} />
          <DateField label="Latest date" value={end} testId="resume-end" onChange={setEnd} />
        </div>
      )}
      <Button className="primary" data-testid="resume-search-button" isDisabled={search.running} onPress={run}>
        {search.running ? "Searching…" : fresh ? "Find times" : "Search again"}
      </Button>
      <ErrorBanner error={search.error ?? hold.error} actions={{ search_again: run, retry: run }} />
      {search.search.orgs.length > 0 && (
        <FindResults
          search={search.search}
          actionLabel="Hold"
          busyOptionId={hold.isPending ? (hold.variables?.optionId ?? null) : null}
          onChoose={choose}
        />
      )}
    </section>
  );
}

function BookHeld({ detail }: { detail: ReferralDetail }) {
  const s = detail.summary;
  const book = useBookSlot();
  const release = useReleaseFromDetail();
  const option: SlotOption = {
    optionId: `${s.organisationId ?? ""}/${detail.appointmentId ?? ""}`,
    organisationId: s.organisationId ?? "",
    organisationName: s.organisationName ?? s.organisationId ?? "",
    start: s.appointmentStart ?? "",
    end: detail.appointmentEnd ?? s.appointmentStart ?? "",
    practitioner: detail.practitioner,
    location: detail.location,
    visitType: null,
    comment: null,
  };
  const doBook = (comment: string) =>
    book.mutate({ referralId: s.id, optionId: null, comment: comment.trim() || null });
  return (
    <section className="resume no-print" aria-labelledby="held-title" data-testid="resume-held">
      <h2 id="held-title">Book the held time</h2>
      {s.holdExpiresAt ? (
        <BookStep
          referralId={s.id}
          option={option}
          expiresAt={s.holdExpiresAt}
          booking={book.isPending || release.isPending}
          error={book.error ?? release.error}
          onBook={doBook}
          onBack={() => release.mutate(s.id)}
          errorActions={{ retry: () => doBook(book.variables?.comment ?? "") }}
        />
      ) : (
        <p className="muted">The hold's expiry is not known; release it and search again.</p>
      )}
    </section>
  );
}
