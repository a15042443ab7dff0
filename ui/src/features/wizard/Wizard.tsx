// New referral: patient → service → organisations → dates → results (streamed) → hold → book →
// confirmation. A hold is released when the user backs out, leaves or closes the window.
import { useCallback, useEffect, useRef, useState } from "react";
import { Button } from "react-aria-components";
import { ErrorBanner } from "../../components/ErrorBanner";
import type { BookingConfirmation } from "../../ipc/bindings/BookingConfirmation";
import type { SlotOption } from "../../ipc/bindings/SlotOption";
import { describeError, type ErrorAction } from "../../lib/errors";
import { navigate } from "../../lib/route";
import { useShortcuts } from "../../lib/shortcuts";
import { useOrganisations } from "../settings/queries";
import { BookStep } from "./BookStep";
import { Confirmation } from "./Confirmation";
import type { CoverageDecision } from "./CoverageRefusedChoice";
import {
  type Draft,
  emptyDraft,
  organisationProblems,
  patientProblems,
  serviceProblems,
  toCoverage,
  toCreateRequest,
  windowProblems,
} from "./draft";
import { FindResults } from "./FindResults";
import { moreAfter } from "./findState";
import { PatientStep } from "./PatientStep";
import { releaseHold, useBookSlot, useCodeTables, useCreateReferral, useFindSlots, useHoldSlot } from "./queries";
import { SearchFilters } from "./SearchFilters";
import { DatesStep, OrganisationsStep, ServiceStep } from "./ServiceStep";
import { toFindRequest } from "./searchRequest";
import { useServiceContent } from "./useServiceContent";

const STEPS = ["patient", "service", "organisations", "dates", "results", "book", "done"] as const;
type Step = (typeof STEPS)[number];
const TITLES: Record<Step, string> = {
  patient: "Patient",
  service: "Service",
  organisations: "Organisations",
  dates: "Dates",
  results: "Results",
  book: "Book",
  done: "Confirmation",
};
const CHECKS: Partial<Record<Step, (d: Draft) => string[]>> = {
  patient: patientProblems,
  service: serviceProblems,
  organisations: organisationProblems,
  dates: windowProblems,
};

interface Held {
  option: SlotOption;
  expiresAt: string | null;
}

export function Wizard() {
  const [step, setStep] = useState<Step>("patient");
  const [draft, setDraft] = useState<Draft>(() => emptyDraft());
  const [problems, setProblems] = useState<string[]>([]);
  const [referralId, setReferralId] = useState<string | null>(null);
  const [held, setHeld] = useState<Held | null>(null);
  const [booked, setBooked] = useState<BookingConfirmation | null>(null);
  const orgs = useOrganisations(false);
  const codes = useCodeTables();
  const create = useCreateReferral();
  const find = useFindSlots();
  const hold = useHoldSlot();
  const book = useBookSlot();
  const content = useServiceContent(draft, setDraft, step === "service" && problems.length > 0);
  const heldFor = useRef<string | null>(null);
  const stepHeading = useRef<HTMLHeadingElement>(null);
  const firstStep = useRef(true);
  heldFor.current = held?.expiresAt && referralId ? referralId : null;

  // Leaving the wizard (navigation, window close) gives a held slot back.
  useEffect(() => {
    const release = () => {
      if (heldFor.current) void releaseHold(heldFor.current).catch(() => undefined);
    };
    window.addEventListener("beforeunload", release);
    return () => {
      window.removeEventListener("beforeunload", release);
      release();
    };
  }, []);

  // Keyboard and screen-reader users land on the new step's heading.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on purpose each time the step changes
  useEffect(() => {
    if (firstStep.current) {
      firstStep.current = false;
      return;
    }
    stepHeading.current?.focus();
  }, [step]);

  const change = (patch: Partial<Draft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    content.clearRefused();
  };
  const organisations = orgs.data ?? [];

  const search = async () => {
    if (!codes.data) return;
    const created = referralId
      ? { id: referralId }
      : await create.mutateAsync(toCreateRequest(draft, codes.data)).catch((e: unknown) => {
          // A refused service field is shown beside it, on the step that has it.
          if (content.refuse(e)) {
            create.reset();
            setStep("service");
          }
          return null;
        });
    if (!created) return;
    setReferralId(created.id);
    setStep("results");
    const req = toFindRequest(draft, created.id);
    const chosen = organisations
      .filter((o) => req.organisationIds.includes(o.id))
      .map((o) => ({ id: o.id, name: o.name }));
    await find.run(req, chosen);
  };

  const moreTimes = () => {
    const after = moreAfter(find.search);
    if (!referralId || !after) return;
    void find.more({ ...toFindRequest(draft, referralId), after });
  };

  const next = () => {
    const found = CHECKS[step]?.(draft) ?? [];
    setProblems(found);
    if (found.length > 0) return;
    if (step === "dates") void search();
    else setStep(STEPS[STEPS.indexOf(step) + 1] ?? step);
  };

  const lastChoice = useRef<SlotOption | null>(null);
  const choose = (option: SlotOption) => {
    if (!referralId) return;
    lastChoice.current = option;
    hold.mutate(
      { referralId, optionId: option.optionId },
      {
        onSuccess: (h) => {
          setHeld({ option: h.option, expiresAt: h.expiresAt });
          book.reset();
          setStep("book");
        },
        onError: (e) => {
          // An organisation without $hold: book the chosen time directly.
          if (describeError(e).code === "unsupported") {
            setHeld({ option, expiresAt: null });
            book.reset();
            setStep("book");
          }
        },
      },
    );
  };

  const backFromBook = useCallback(() => {
    if (referralId && held?.expiresAt) void releaseHold(referralId).catch(() => undefined);
    setHeld(null);
    hold.reset();
    setStep("results");
  }, [referralId, held, hold]);

  const doBook = (comment: string, coverage?: CoverageDecision) => {
    if (!referralId || !held) return;
    book.mutate(
      {
        referralId,
        comment: comment.trim() || null,
        optionId: held.expiresAt ? null : held.option.optionId,
        ...coverage,
      },
      {
        onSuccess: (c) => {
          setHeld(null);
          setBooked(c);
          setStep("done");
        },
      },
    );
  };

  // What the user can do after a refusal: a taken or lapsed time → search again; a refused
  // patient or coverage → back to the patient step (coverage is entered there); the
  // organisation down → the same request again.
  const backToPatient = () => {
    setHeld(null);
    hold.reset();
    book.reset();
    setStep("patient");
  };
  const searchAgain = () => {
    setHeld(null);
    hold.reset();
    book.reset();
    void search();
  };
  const resultActions: Partial<Record<ErrorAction, () => void>> = {
    search_again: searchAgain,
    fix_patient: backToPatient,
    fix_coverage: backToPatient,
    retry: () => {
      if (lastChoice.current) choose(lastChoice.current);
    },
  };
  const bookActions: Partial<Record<ErrorAction, () => void>> = {
    search_again: () => {
      backFromBook();
      searchAgain();
    },
    fix_patient: backToPatient,
    retry: () => doBook(book.variables?.comment ?? ""),
  };
  const stopBooking = () => {
    backFromBook();
    navigate({ screen: "worklist" });
  };

  const back = () => {
    setProblems([]);
    if (step === "book") backFromBook();
    else if (step === "patient" || step === "done") navigate({ screen: "worklist" });
    else setStep(STEPS[STEPS.indexOf(step) - 1] ?? "patient");
  };
  useShortcuts({ onBack: back });

  if (orgs.isPending || codes.isPending) return <p role="status">Loading…</p>;
  if (!codes.data) return <ErrorBanner error={codes.error ?? orgs.error} />;

  const inputStep = step in CHECKS;
  return (
    <section className="wizard" aria-labelledby="wizard-title" data-testid="wizard" data-step={step}>
      <h1 id="wizard-title" className="no-print">
        New referral
      </h1>
      <ol className="steps no-print" aria-label="Steps">
        {STEPS.map((s) => (
          <li key={s} aria-current={s === step ? "step" : undefined} data-testid={`wizard-nav-${s}`}>
            {TITLES[s]}
          </li>
        ))}
      </ol>
      <h2 className="no-print" ref={stepHeading} tabIndex={-1}>
        {TITLES[step]}
      </h2>
      {problems.length > 0 && (
        <div className="error-banner" role="alert" data-testid="wizard-problems">
          <ul>
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      )}
      {step === "patient" && <PatientStep draft={draft} organisations={organisations} onChange={change} />}
      {step === "service" && (
        <ServiceStep
          draft={draft}
          codes={codes.data}
          problems={content.problems}
          followUpDays={content.followUpDays}
          onChange={change}
        />
      )}
      {step === "organisations" && <OrganisationsStep draft={draft} organisations={organisations} onChange={change} />}
      {step === "dates" && (
        <>
          <DatesStep draft={draft} onChange={change} />
          <SearchFilters draft={draft} organisations={organisations} onChange={change} />
        </>
      )}
      <ErrorBanner error={create.error} />
      {step === "results" && (
        <div data-testid="wizard-step-results">
          <ErrorBanner error={find.error ?? hold.error} actions={resultActions} />
          <FindResults
            search={find.search}
            actionLabel="Hold"
            busyOptionId={hold.isPending ? (hold.variables?.optionId ?? null) : null}
            onChoose={choose}
            windowStart={draft.start}
          />
          <Button data-testid="more-times" isDisabled={find.running || !moreAfter(find.search)} onPress={moreTimes}>
            More times
          </Button>
          <Button data-testid="search-again" isDisabled={find.running} onPress={() => void search()}>
            Search again
          </Button>
        </div>
      )}
      {step === "book" && held && (
        <BookStep
          referralId={referralId ?? ""}
          option={held.option}
          expiresAt={held.expiresAt}
          booking={book.isPending}
          error={book.error}
          onBook={doBook}
          onBack={backFromBook}
          errorActions={bookActions}
          onCoverageDecision={doBook}
          onStop={stopBooking}
          coverage={toCoverage(draft)}
        />
      )}
      {step === "done" && booked && <Confirmation booking={booked} />}
      {step !== "done" && step !== "book" && (
        <div className="actions wizard-actions">
          <Button data-testid="wizard-back" onPress={back}>
            {step === "patient" ? "Cancel" : "Back"}
          </Button>
          {inputStep && (
            <Button className="primary" data-testid="wizard-next" isDisabled={create.isPending} onPress={next}>
              {step === "dates" ? "Find appointments" : "Next"}
            </Button>
          )}
        </div>
      )}
    </section>
  );
}
