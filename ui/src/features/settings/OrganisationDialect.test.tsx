import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { SaveOrganisationRequest } from "../../ipc/bindings/SaveOrganisationRequest";
import { callsTo, mockBackend, renderWithClient } from "../../test/backend";
import { ORG_A } from "../../test/fixtures";
import { SettingsScreen } from "./SettingsScreen";

const JWKS = { jwksJson: '{"keys": []}', keyId: "k1", algorithm: "ES384" };

const report = (dialect: string, label: string, reason: string) => ({
  organisationId: ORG_A.id,
  checkedAt: "2026-11-22T10:00:00Z",
  discovery: { ok: true, detail: "SMART configuration found." },
  token: { ok: true, detail: "An access token was issued." },
  metadata: { ok: true, detail: "CapabilityStatement read." },
  fhirVersion: "4.0.1",
  operations: ["find", "hold", "book"],
  patchFormats: [],
  holdSupported: true,
  dialect,
  dialectLabel: label,
  dialectReason: reason,
});

describe("Settings: scheduling dialect", () => {
  it("names the dialect the check chose and why", async () => {
    mockBackend({
      list_organisations: () => ({ organisations: [ORG_A] }),
      get_jwks: () => JWKS,
      check_organisation: () =>
        report("plain-r4", "plain FHIR R4 (Slot search and Appointment create)", "declares FHIR 4.0.1 and Slot search"),
    });
    const user = userEvent.setup();
    renderWithClient(<SettingsScreen theme="system" onTheme={() => undefined} />);
    const row = await screen.findByTestId("org-row");
    await user.click(within(row).getByTestId("org-check"));
    const dialect = await within(row).findByTestId("capability-dialect");
    expect(dialect).toHaveTextContent("plain FHIR R4 (Slot search and Appointment create) — declares FHIR 4.0.1");
  });

  it("edits the override: detect automatically by default, a chosen dialect is saved", async () => {
    const calls = mockBackend({
      list_organisations: () => ({ organisations: [ORG_A] }),
      get_jwks: () => JWKS,
      save_organisation: (req) => ({ ...ORG_A, dialect: req.dialect === "auto" ? undefined : req.dialect }),
    });
    const user = userEvent.setup();
    renderWithClient(<SettingsScreen theme="system" onTheme={() => undefined} />);
    const row = await screen.findByTestId("org-row");
    await user.click(within(row).getByTestId("org-edit"));
    const select = screen.getByTestId("org-dialect");
    expect(select).toHaveValue("auto");
    expect(within(select).getByRole("option", { name: "Detect automatically" })).toBeInTheDocument();
    expect(within(select).getAllByRole("option")).toHaveLength(6);
    await user.selectOptions(select, "epic");
    await user.click(screen.getByTestId("org-save"));
    await screen.findByTestId("org-add");
    const saved = callsTo(calls, "save_organisation")[0] as SaveOrganisationRequest;
    expect(saved).toMatchObject({ id: ORG_A.id, dialect: "epic" });
  });

  it("shows an organisation's saved override when editing it", async () => {
    mockBackend({
      list_organisations: () => ({ organisations: [{ ...ORG_A, dialect: "oracle" }] }),
      get_jwks: () => JWKS,
    });
    const user = userEvent.setup();
    renderWithClient(<SettingsScreen theme="system" onTheme={() => undefined} />);
    const row = await screen.findByTestId("org-row");
    await user.click(within(row).getByTestId("org-edit"));
    expect(screen.getByTestId("org-dialect")).toHaveValue("oracle");
  });
});
