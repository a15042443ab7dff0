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
      register_patient: (req) => ({
        organisationId: req.organisationId,
        patientId: "pat-new",
        coverageId: "cov-1",
        existing: false,
      }),
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

  it("matches with the details entered and lists each candidate with its grade for the user to choose", async () => {
    const calls = mockBackend({
      match_patient: (req) => ({
        organisationId: req.organisationId,
        patients: [
          {
            patientId: "p-1",
            name: "Adaeze Okafor",
            birthDate: "1980-04-02",
            gender: "female",
            identifiers: ["M-1"],
            score: 1,
            grade: "certain",
          },
          {
            patientId: "p-2",
            name: "Ada Okafor",
            birthDate: "1980-04-02",
            gender: "female",
            identifiers: [],
            score: 0.5,
            grade: "possible",
          },
        ],
      }),
    });
    const user = userEvent.setup();
    renderWithClient(<Harness />);
    expect(screen.getByTestId("patient-match-button")).toBeDisabled();
    await user.type(screen.getByTestId("patient-family"), "Okafor");
    await user.type(screen.getByTestId("patient-given"), "Adaeze");
    await user.type(screen.getByTestId("patient-birth-date"), "1980-04-02");
    await user.type(screen.getByTestId("patient-mrn"), "M-1");
    await user.selectOptions(screen.getByTestId("patient-search-org"), ORG_B.id);
    await user.click(screen.getByTestId("patient-match-button"));
    const rows = await screen.findAllByTestId("patient-match");
    expect(rows.map((r) => r.getAttribute("data-grade"))).toEqual(["certain", "possible"]);
    expect(within(rows[0]!).getByTestId("patient-match-grade")).toHaveTextContent("Certain match (100 %)");
    expect(within(rows[1]!).getByTestId("patient-match-grade")).toHaveTextContent("Possible match (50 %)");
    await user.click(within(rows[1]!).getByRole("button", { name: "Use this patient" }));
    expect(latest.links).toEqual([{ organisationId: ORG_B.id, patientId: "p-2" }]);
    expect(callsTo(calls, "match_patient")).toEqual([
      {
        organisationId: ORG_B.id,
        patient: {
          family: "Okafor",
          given: ["Adaeze"],
          birthDate: "1980-04-02",
          gender: "unknown",
          mrn: "M-1",
          phone: null,
          email: null,
        },
      },
    ]);
  });

  it("searches by given name too", async () => {
    const calls = mockBackend({ search_patients: (req) => ({ organisationId: req.organisationId, patients: [] }) });
    const user = userEvent.setup();
    renderWithClient(<Harness />);
    await user.type(screen.getByTestId("patient-search-given"), "Adaeze");
    await user.click(screen.getByTestId("patient-search-button"));
    expect(await screen.findByTestId("patient-no-match")).toBeInTheDocument();
    expect(callsTo(calls, "search_patients")).toEqual([
      { organisationId: ORG_A.id, family: null, given: "Adaeze", birthDate: null, identifier: null },
    ]);
  });

  it("tells the user when the organisation already had the patient, and when it refused the coverage", async () => {
    mockBackend({
      register_patient: (req) => ({
        organisationId: req.organisationId,
        patientId: "pat-old",
        coverageId: null,
        existing: true,
        notice: "Napa Valley Clinic already had this patient; Referral Desk uses their record there.",
        coverageProblem: {
          code: "coverage_refused",
          message: "Napa Valley Clinic did not accept the patient's coverage: “We do not accept this insurer”.",
        },
      }),
    });
    const user = userEvent.setup();
    renderWithClient(<Harness />);
    await user.type(screen.getByTestId("patient-family"), "Shaw");
    await user.type(screen.getByTestId("patient-given"), "Amy");
    await user.type(screen.getByTestId("patient-birth-date"), "1988-03-14");
    await user.type(screen.getByTestId("patient-mrn"), "MRN-2207");
    await user.click(screen.getByTestId("patient-register-button"));
    expect(await screen.findByTestId("patient-registered")).toHaveTextContent(
      "Napa Valley Clinic already had this patient; Referral Desk uses their record there.",
    );
    expect(screen.getByTestId("patient-coverage-problem")).toHaveTextContent("We do not accept this insurer");
    expect(latest.links).toEqual([{ organisationId: ORG_A.id, patientId: "pat-old" }]);
  });

  it("sends the coverage to an organisation that knows the patient, then updates it with the version saved", async () => {
    let version = 0;
    const calls = mockBackend({
      search_patients: (req) => ({
        organisationId: req.organisationId,
        patients: [
          {
            patientId: "pat-9",
            name: "Lina Haddad",
            birthDate: "1980-01-01",
            gender: "female",
            identifiers: [],
            score: null,
          },
        ],
      }),
      add_coverage: (req) => ({
        organisationId: req.organisationId,
        patientId: req.patientId,
        coverageId: "cov-1",
        version: String(++version),
      }),
      update_coverage: (req) => ({
        organisationId: req.organisationId,
        patientId: req.patientId,
        coverageId: req.coverageId,
        version: String(++version),
      }),
    });
    const user = userEvent.setup();
    renderWithClient(<Harness />);
    await user.type(screen.getByTestId("patient-search-family"), "Haddad");
    await user.click(screen.getByTestId("patient-search-button"));
    await user.click(
      within(await screen.findByTestId("patient-match")).getByRole("button", { name: "Use this patient" }),
    );
    await user.click(screen.getByTestId("coverage-toggle"));
    expect(screen.getByTestId("coverage-send")).toBeDisabled();
    await user.type(screen.getByTestId("coverage-payor"), "Acme Health");
    await user.type(screen.getByTestId("coverage-subscriber-id"), "SUB-1");
    await user.click(screen.getByTestId("coverage-send"));
    expect(await screen.findByTestId("coverage-saved")).toHaveTextContent("Saved at Napa Valley Clinic (version 1).");
    await user.type(screen.getByTestId("coverage-plan"), "Gold");
    await user.click(screen.getByTestId("coverage-send"));
    expect(await screen.findByTestId("coverage-saved")).toHaveTextContent("(version 2)");
    const coverage = { payor: "Acme Health", subscriberId: "SUB-1", planName: null, relationship: "self" };
    expect(callsTo(calls, "add_coverage")).toEqual([{ organisationId: ORG_A.id, patientId: "pat-9", coverage }]);
    expect(callsTo(calls, "update_coverage")).toEqual([
      {
        organisationId: ORG_A.id,
        patientId: "pat-9",
        coverageId: "cov-1",
        version: "1",
        coverage: { ...coverage, planName: "Gold" },
      },
    ]);
  });
});
