// Settings → Keys: the app's signing keys (id, algorithm, created, who signs with each), adding
// one, moving an organisation to a key, and retiring a key after a confirmation. Only public
// facts reach the webview; the private keys stay in the backend.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "react-aria-components";
import { ErrorBanner } from "../../components/ErrorBanner";
import { SelectInput } from "../../components/Field";
import type { AppKey } from "../../ipc/bindings/AppKey";
import type { KeyList } from "../../ipc/bindings/KeyList";
import { call } from "../../ipc/client";
import { useOrganisations } from "./queries";

function useKeyMutation<T>(run: (arg: T) => Promise<KeyList>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: (list) => {
      qc.setQueryData(["keys"], list);
      return qc.invalidateQueries({ queryKey: ["jwks"] });
    },
  });
}

export function KeysSection() {
  const keys = useQuery({ queryKey: ["keys"], queryFn: () => call("list_keys", {}) });
  const [alg, setAlg] = useState<"ES384" | "RS384">("ES384");
  const add = useKeyMutation((algorithm: "ES384" | "RS384") => call("add_key", { algorithm }));
  return (
    <section aria-labelledby="keys-title" data-testid="keys-section">
      <h2 id="keys-title">Keys</h2>
      <p>
        Organisations check the app’s requests with these keys. A new key joins the public key set beside the old ones;
        move each organisation to it once its administrator has the new key set, then retire the old key.
      </p>
      <ErrorBanner error={keys.error ?? add.error} />
      <ul className="org-list">
        {(keys.data?.keys ?? []).map((k) => (
          <KeyRow key={k.keyId} appKey={k} />
        ))}
      </ul>
      <div className="actions">
        <SelectInput
          label="Algorithm of the new key"
          value={alg}
          testId="key-alg"
          onChange={(v) => setAlg(v === "RS384" ? "RS384" : "ES384")}
          choices={[
            { value: "ES384", label: "ES384 (elliptic curve, the default)" },
            { value: "RS384", label: "RS384 (RSA, for organisations that need it)" },
          ]}
        />
        <Button data-testid="key-add" isDisabled={add.isPending} onPress={() => add.mutate(alg)}>
          {add.isPending ? "Adding…" : "Add key"}
        </Button>
      </div>
    </section>
  );
}

function KeyRow({ appKey }: { appKey: AppKey }) {
  const orgs = useOrganisations(true);
  const [confirming, setConfirming] = useState(false);
  const [moving, setMoving] = useState("");
  const retire = useKeyMutation((keyId: string) => call("retire_key", { keyId }));
  const move = useKeyMutation((organisationId: string) =>
    call("set_organisation_key", { organisationId, keyId: appKey.keyId }),
  );
  const users = appKey.organisations.map((o) => o.displayName);
  const others = (orgs.data ?? []).filter((o) => !appKey.organisations.some((u) => u.id === o.id));
  const state = appKey.retired
    ? `retired ${day(appKey.retired)}`
    : appKey.active
      ? "active: new registrations use it"
      : "available";
  return (
    <li data-testid="key-row" data-key-id={appKey.keyId} data-retired={appKey.retired ? "true" : "false"}>
      <div>
        <strong className="kid">{appKey.keyId}</strong> {appKey.algorithm}, {state}
      </div>
      <div className="muted">Created {appKey.created ? day(appKey.created) : "before key rotation (date unknown)"}</div>
      <div data-testid="key-users">Used by: {users.length ? users.join(", ") : "no organisation"}</div>
      <ErrorBanner error={retire.error ?? move.error} />
      {!appKey.retired && (
        <div className="actions">
          {others.length > 0 && (
            <>
              <SelectInput
                label="Move an organisation to this key"
                value={moving}
                testId="key-move-org"
                placeholder="Choose an organisation"
                onChange={setMoving}
                choices={others.map((o) => ({ value: o.id, label: o.name }))}
              />
              <Button
                data-testid="key-move"
                isDisabled={!moving || move.isPending}
                onPress={() => move.mutate(moving, { onSuccess: () => setMoving("") })}
              >
                Move
              </Button>
            </>
          )}
          {confirming ? (
            <div role="alertdialog" aria-label="Retire this key?" data-testid="key-retire-confirm">
              <p>
                Retire this key? It leaves the public key set and is deleted from this computer; it cannot be brought
                back.
              </p>
              <Button
                className="danger"
                data-testid="key-retire-yes"
                onPress={() => retire.mutate(appKey.keyId, { onSettled: () => setConfirming(false) })}
              >
                Retire
              </Button>
              <Button data-testid="key-retire-no" onPress={() => setConfirming(false)}>
                Keep it
              </Button>
            </div>
          ) : (
            <Button className="danger" data-testid="key-retire" onPress={() => setConfirming(true)}>
              Retire…
            </Button>
          )}
        </div>
      )}
    </li>
  );
}

/** The date part of an RFC 3339 time, as the desk reads dates elsewhere. */
function day(rfc3339: string): string {
  return rfc3339.slice(0, 10);
}
