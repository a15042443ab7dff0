// First run: no organisations yet. Offer the sandbox organisations (started in-process on
// loopback) or adding a real organisation in Settings.

import { ErrorBanner } from "../../components/ErrorBanner";
import { PlainButton } from "../../components/PlainButton";
import { navigate } from "../../lib/route";
import { useSetupSandbox } from "./queries";

export function FirstRun({ onAddOrganisation }: { onAddOrganisation: () => void }) {
  const setup = useSetupSandbox();
  return (
    <main className="page first-run" data-testid="first-run">
      <h1>Welcome to Referral Desk</h1>
      <p>Referral Desk books your patients into other organisations’ schedules. No organisation is set up yet.</p>
      <p>
        To try it now, use the <strong>sandbox organisations</strong>: practice scheduling systems that run on this
        computer only. Nothing is sent anywhere else.
      </p>
      <ErrorBanner error={setup.error} />
      <div className="actions">
        <PlainButton
          className="primary"
          data-testid="first-run-sandbox"
          isDisabled={setup.isPending}
          onPress={() => setup.mutate(undefined, { onSuccess: () => navigate({ screen: "worklist" }) })}
        >
          {setup.isPending ? "Starting sandbox organisations…" : "Use sandbox organisations"}
        </PlainButton>
        <PlainButton data-testid="first-run-settings" onPress={onAddOrganisation}>
          Add an organisation instead
        </PlainButton>
      </div>
    </main>
  );
}
