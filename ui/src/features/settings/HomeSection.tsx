// Settings → "Home organisation": the organisation whose referral orders this desk works (its
// server address and the client id it registered for Referral Desk), and how long a claim on an
// order lasts before another desk may take it over. Shows who this desk is to the other desks.
import { useState } from "react";
import { Button } from "react-aria-components";
import { ErrorBanner } from "../../components/ErrorBanner";
import { TextInput } from "../../components/Field";
import type { HomeInfo } from "../../ipc/bindings/HomeInfo";
import type { SaveHomeRequest } from "../../ipc/bindings/SaveHomeRequest";
import { describeError } from "../../lib/errors";
import { formatDateTime } from "../../lib/time";
import { useHome, useSaveHome } from "../queue/queries";

export interface HomeForm {
  name: string;
  baseUrl: string;
  clientId: string;
  tokenUrl: string;
  leaseMinutes: string;
}

type HomeField = keyof HomeForm;

export function homeForm(home: HomeInfo | null): HomeForm {
  return {
    name: home?.name ?? "",
    baseUrl: home?.baseUrl ?? "",
    clientId: home?.clientId ?? "",
    tokenUrl: home?.tokenUrl ?? "",
    leaseMinutes: home ? String(Math.max(1, Math.round(home.leaseSeconds / 60))) : "15",
  };
}

/** What is wrong with each typed value, if anything. */
export function homeProblems(f: HomeForm): Partial<Record<HomeField, string>> {
  const problems: Partial<Record<HomeField, string>> = {};
  if (!f.name.trim()) problems.name = "Enter the organisation's name.";
  if (!/^https?:\/\/\S+$/i.test(f.baseUrl.trim()))
    problems.baseUrl = "Enter the server address the organisation gave you, beginning with https://.";
  if (!f.clientId.trim()) problems.clientId = "Enter the client id the organisation registered for Referral Desk.";
  if (f.tokenUrl.trim() && !/^https?:\/\/\S+$/i.test(f.tokenUrl.trim()))
    problems.tokenUrl =
      "Enter the token address the organisation gave you, beginning with https://, or leave it blank.";
  const t = f.leaseMinutes.trim();
  const n = Number(t);
  if (!/^\d+$/.test(t) || n < 1 || n > 240) problems.leaseMinutes = "Enter a whole number of minutes from 1 to 240.";
  return problems;
}

export function toSaveHome(f: HomeForm): SaveHomeRequest {
  return {
    name: f.name.trim(),
    baseUrl: f.baseUrl.trim(),
    clientId: f.clientId.trim(),
    ...(f.tokenUrl.trim() ? { tokenUrl: f.tokenUrl.trim() } : {}),
    leaseSeconds: Number(f.leaseMinutes.trim()) * 60,
  };
}

/** The request fields a refused save may name, and the form field each one is. */
const REFUSED_FIELDS: Record<string, HomeField> = {
  name: "name",
  baseurl: "baseUrl",
  clientid: "clientId",
  tokenurl: "tokenUrl",
  leaseseconds: "leaseMinutes",
};

export function HomeSection() {
  const home = useHome();
  return (
    <>
      <h2>Home organisation</h2>
      <p>
        Referral orders placed in your own organisation’s record system come to the worklist’s queue from here. Every
        desk working the same queue sees who is working which order.
      </p>
      <ErrorBanner error={home.error} />
      {home.data && <HomeFormView initial={home.data.home} />}
    </>
  );
}

function HomeFormView({ initial }: { initial: HomeInfo | null }) {
  const [form, setForm] = useState(() => homeForm(initial));
  const [tried, setTried] = useState(false);
  const [saved, setSaved] = useState(false);
  const save = useSaveHome();
  const problems = homeProblems(form);
  const shown = tried ? problems : {};
  const refused = save.error ? REFUSED_FIELDS[describeError(save.error).field?.toLowerCase() ?? ""] : undefined;
  const refusedAt: Partial<Record<HomeField, string>> = refused ? { [refused]: describeError(save.error).message } : {};
  const all = { ...shown, ...refusedAt };
  const set = (patch: Partial<HomeForm>) => {
    setForm((f) => ({ ...f, ...patch }));
    setSaved(false);
    save.reset();
  };
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    setTried(true);
    setSaved(false);
    if (Object.keys(problems).length > 0) return;
    save.mutate(toSaveHome(form), { onSuccess: () => setSaved(true) });
  };
  const current = save.data?.home ?? initial;
  return (
    <form aria-label="Home organisation" data-testid="home-settings" noValidate onSubmit={submit}>
      <div className="grid">
        <TextInput
          label="Name"
          value={form.name}
          testId="home-name"
          problem={all.name}
          onChange={(v) => set({ name: v })}
        />
        <TextInput
          label="Server address"
          type="url"
          value={form.baseUrl}
          testId="home-base-url"
          problem={all.baseUrl}
          onChange={(v) => set({ baseUrl: v })}
        />
        <TextInput
          label="Client id"
          value={form.clientId}
          testId="home-client-id"
          problem={all.clientId}
          hint="The id the organisation registered for Referral Desk"
          onChange={(v) => set({ clientId: v })}
        />
        <TextInput
          label="Token address (optional)"
          type="url"
          value={form.tokenUrl}
          testId="home-token-url"
          problem={all.tokenUrl}
          hint="Only if the organisation gave one; otherwise it is found from the server address"
          onChange={(v) => set({ tokenUrl: v })}
        />
        <TextInput
          label="A claim lasts (minutes)"
          value={form.leaseMinutes}
          testId="home-lease-minutes"
          problem={all.leaseMinutes}
          hint="After this, another desk may take the order over"
          onChange={(v) => set({ leaseMinutes: v })}
        />
      </div>
      {current && (
        <p className="muted" data-testid="home-desk">
          Other desks see this one as “{current.deskDisplay}”.
          {current.lastRefreshed && ` Orders last read ${formatDateTime(current.lastRefreshed)}.`}
        </p>
      )}
      {!refused && <ErrorBanner error={save.error} />}
      <div className="actions">
        <Button type="submit" className="primary" data-testid="home-save" isDisabled={save.isPending}>
          {save.isPending ? "Saving…" : "Save"}
        </Button>
        {saved && (
          <span role="status" data-testid="home-saved">
            Saved.
          </span>
        )}
      </div>
    </form>
  );
}
