import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { SaveOrganisationRequest } from "../../ipc/bindings/SaveOrganisationRequest";
import { callsTo, mockBackend, renderWithClient } from "../../test/backend";
import { ORG_A } from "../../test/fixtures";
import { SettingsScreen } from "./SettingsScreen";

const JWKS = {
  jwksJson: '{\n  "keys": [{"kty": "EC", "crv": "P-384", "kid": "k1"}]\n}',
  keyId: "k1",
  algorithm: "ES384",
};

describe("Settings", () => {
  it("checks an organisation's connection and shows what it supports", async () => {
    mockBackend({
      list_organisations: () => ({ organisations: [ORG_A] }),
      get_jwks: () => JWKS,
      check_organisation: (req) => ({
        organisationId: req.id,
        checkedAt: "2026-11-22T10:00:00Z",
        discovery: { ok: true, detail: "SMART configuration found." },
        token: { ok: false, detail: "The organisation refused the app's key: invalid_client." },
        metadata: { ok: true, detail: "CapabilityStatement read." },
        fhirVersion: "3.0.1",
        operations: ["find", "book"],
        patchFormats: ["application/json-patch+json"],
        holdSupported: false,
      }),
    });
    const user = userEvent.setup();
    renderWithClient(<SettingsScreen theme="system" onTheme={() => undefined} />);
    const row = await screen.findByTestId("org-row");
    await user.click(within(row).getByTestId("org-check"));
    const report = await within(row).findByTestId("capability-report");
    expect(within(report).getByTestId("check-token")).toHaveAttribute("data-ok", "false");
    expect(within(report).getByTestId("check-token")).toHaveTextContent("invalid_client");
    expect(within(report).getByTestId("capability-operations")).toHaveTextContent("$find, $book");
    expect(within(report).getByTestId("capability-hold")).toHaveTextContent("not supported");
  });

  it("shows only the public key set, and adds an organisation", async () => {
    const calls = mockBackend({
      list_organisations: () => ({ organisations: [] }),
      get_jwks: () => JWKS,
      save_organisation: (req) => ({ ...ORG_A, id: "org-new", name: req.name, fhirBase: req.fhirBase }),
    });
    const user = userEvent.setup();
    renderWithClient(<SettingsScreen theme="system" onTheme={() => undefined} />);
    const jwks = await screen.findByTestId("jwks");
    expect(jwks).toHaveTextContent('"kty": "EC"');
    expect(jwks.textContent).not.toMatch(/"d"\s*:/);
    await user.click(screen.getByTestId("org-add"));
    await user.type(screen.getByTestId("org-name"), "Lakeside Hospital");
    await user.type(screen.getByTestId("org-fhir-base"), "https://ehr.lakeside.example/fhir");
    await user.type(screen.getByTestId("org-client-id"), "refdesk-42");
    await user.click(screen.getByTestId("org-save"));
    await screen.findByTestId("org-add");
    const saved = callsTo(calls, "save_organisation")[0] as SaveOrganisationRequest;
    expect(saved).toMatchObject({
      id: null,
      name: "Lakeside Hospital",
      fhirBase: "https://ehr.lakeside.example/fhir",
      clientId: "refdesk-42",
      enabled: true,
    });
  });
});
