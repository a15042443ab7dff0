// Settings → "Referring clinician": who new referrals name as the referrer and call-back number,
// and how many days until a discharge follow-up is due (the wizard's quick pick).
import { useState } from "react";
import { Button } from "react-aria-components";
import { ErrorBanner } from "../../components/ErrorBanner";
import { TextInput } from "../../components/Field";
import { ReferrerFields } from "../../components/ReferrerFields";
import type { DeskSettings } from "../../ipc/bindings/DeskSettings";
import { describeError } from "../../lib/errors";
import { type ReferrerField, referrerForm, referrerProblems, toReferrer } from "../../lib/referrer";
import { useDeskSettings, useSaveDeskSettings } from "./queries";

/** The problem with the typed follow-up days, or null (blank means no default). */
export function followUpProblem(days: string): string | null {
  const t = days.trim();
  if (!t) return null;
  const n = Number(t);
  return /^\d+$/.test(t) && n >= 1 && n <= 365 ? null : "Follow-up days: enter a whole number of days from 1 to 365.";
}

const REFUSED_FIELDS: Record<string, ReferrerField | "followUpDays"> = {
  referrername: "name",
  referrernpi: "npi",
  referrerphone: "phone",
  followupdays: "followUpDays",
};

/** The field a refused save names (`referrerNpi`, `referrer.npi`, `followUpDays`, …), if any. */
function refusedField(error: unknown): ReferrerField | "followUpDays" | null {
  const shown = describeError(error);
  if (shown.code !== "invalid_input" || !shown.field) return null;
  return REFUSED_FIELDS[shown.field.toLowerCase().replace(/[._]/g, "")] ?? null;
}

export function DeskSettingsSection() {
  const settings = useDeskSettings();
  return (
    <>
      <h2>Referring clinician</h2>
      <p>New referrals name this clinician and call-back number unless changed for one referral.</p>
      <ErrorBanner error={settings.error} />
      {settings.data && <DeskSettingsForm initial={settings.data} />}
    </>
  );
}

function DeskSettingsForm({ initial }: { initial: DeskSettings }) {
  const [referrer, setReferrer] = useState(() => referrerForm(initial.referrer));
  const [days, setDays] = useState(initial.followUpDays?.toString() ?? "");
  const [saved, setSaved] = useState(false);
  const save = useSaveDeskSettings();
  const problems = referrerProblems(referrer);
  const daysProblem = followUpProblem(days);
  const refused = refusedField(save.error);
  // A field the backend refused is named beside that field.
  const refusedAt: Partial<Record<ReferrerField | "followUpDays", string>> = refused
    ? { [refused]: describeError(save.error).message }
    : {};

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    setSaved(false);
    if (Object.keys(problems).length > 0 || daysProblem) return;
    const followUpDays = days.trim() ? Number(days.trim()) : null;
    save.mutate({ referrer: toReferrer(referrer), followUpDays }, { onSuccess: () => setSaved(true) });
  };
  const edited = () => {
    setSaved(false);
    save.reset();
  };

  return (
    <form aria-label="Referring clinician" data-testid="desk-settings" onSubmit={submit}>
      <ReferrerFields
        legend="Default referring clinician"
        value={referrer}
        testIdPrefix="settings-referrer"
        problems={{ ...problems, ...refusedAt }}
        onChange={(r) => {
          setReferrer(r);
          edited();
        }}
      />
      <TextInput
        label="Discharge follow-up due in (days)"
        value={days}
        testId="settings-follow-up-days"
        problem={daysProblem ?? refusedAt.followUpDays}
        hint="Offered as a quick pick for the due date, e.g. 7"
        onChange={(d) => {
          setDays(d);
          edited();
        }}
      />
      {!refused && <ErrorBanner error={save.error} />}
      <div className="actions">
        <Button type="submit" className="primary" data-testid="desk-settings-save" isDisabled={save.isPending}>
          {save.isPending ? "Saving…" : "Save"}
        </Button>
        {saved && (
          <span role="status" data-testid="desk-settings-saved">
            Saved.
          </span>
        )}
      </div>
    </form>
  );
}
