import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it } from "vitest";
import { formatTyped, localeDateOrder } from "../../lib/typedDate";
import { callsTo, mockBackend, renderWithClient } from "../../test/backend";
import { ORG_A, ORG_B } from "../../test/fixtures";
import { type Draft, emptyDraft } from "./draft";
import { PatientStep } from "./PatientStep";

let latest: Draft = emptyDraft();
function Harness() {
  const [draft, setDraft] = useState<Draft>(emptyDraft());
  latest = draft;
  return (
    <PatientStep draft={draft} organisations={[ORG_A, ORG_B]} onChange={(p) => setDraft((d) => ({ ...d, ...p }))} />
  );
}

describe("Patient step", () => {
  it("searches at the chosen organisation, and a picked match fills the form and links the patient there", async () => {
    const calls = mockBackend({
      search_patients: (req) => ({
        organisationId: req.organisationId,
        patients: [
          {
            patientId: "pat-77",
            name: "Peter James Chalmers",
            birthDate: "1974-12-25",
            gender: "male",
            identifiers: ["MRN-100"],
            score: null,
          },
        ],
      }),
    });
    const user = userEvent.setup();
    renderWithClient(<Harness />);
    await user.selectOptions(screen.getByTestId("patient-search-org"), ORG_B.id);
    await user.type(screen.getByTestId("patient-search-family"), "Chalmers");
    await user.click(screen.getByTestId("patient-search-button"));
    const match = await screen.findByTestId("patient-match");
    await user.click(within(match).getByRole("button", { name: "Use this patient" }));
    expect(screen.getByTestId("patient-family")).toHaveValue("Chalmers");
    expect(screen.getByTestId("patient-given")).toHaveValue("Peter James");
    expect(screen.getByTestId("patient-birth-date")).toHaveValue(formatTyped("1974-12-25", localeDateOrder()));
    expect(latest.links).toEqual([{ organisationId: ORG_B.id, patientId: "pat-77" }]);
    expect(callsTo(calls, "search_patients")).toEqual([
      { organisationId: ORG_B.id, family: "Chalmers", given: null, birthDate: null, identifier: null },
    ]);
  });

  it("registers a new patient with coverage only once the details are complete", async () => {
    const calls = mockBackend({
      register_patient: (req) => ({ organisationId: req.organisationId, patientId: "pat-new", coverageId: "cov-1" }),
    });
    const user = userEvent.setup();
    renderWithClient(<Harness />);
    expect(screen.getByTestId("patient-register-button")).toBeDisabled();
    await user.type(screen.getByTestId("patient-family"), "Shaw");
    await user.type(screen.getByTestId("patient-given"), "Amy");
    await user.type(screen.getByTestId("patient-birth-date"), "1988-03-14");
    await user.type(screen.getByTestId("patient-mrn"), "MRN-2207");
    await user.click(screen.getByTestId("coverage-toggle"));
    await user.type(screen.getByTestId("coverage-payor"), "Acme Health");
    await user.type(screen.getByTestId("coverage-subscriber-id"), "SUB-9");
    await user.click(screen.getByTestId("patient-register-button"));
    expect(await screen.findByTestId("patient-registered")).toHaveTextContent("pat-new");
    const sent = callsTo(calls, "register_patient")[0];
    expect(sent).toMatchObject({
      organisationId: ORG_A.id,
      patient: { family: "Shaw", given: ["Amy"], birthDate: "1988-03-14", mrn: "MRN-2207" },
      coverage: { payor: "Acme Health", subscriberId: "SUB-9", planName: null, relationship: "self" },
    });
    expect(latest.links).toEqual([{ organisationId: ORG_A.id, patientId: "pat-new" }]);
  });
});
