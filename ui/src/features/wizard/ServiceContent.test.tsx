import { fireEvent, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { CodeTables } from "../../ipc/bindings/CodeTables";
import type { CreateReferralRequest } from "../../ipc/bindings/CreateReferralRequest";
import type { DeskSettings } from "../../ipc/bindings/DeskSettings";
import { isoDateFromToday } from "../../lib/time";
import { callsTo, type Handlers, mockBackend, renderWithClient } from "../../test/backend";
import { CODES, ORG_A, referral } from "../../test/fixtures";
import { Wizard } from "./Wizard";

const PRIORITY = "http://hl7.org/fhir/request-priority";
const TABLES: CodeTables = {
  ...CODES,
  priorities: [
    { system: PRIORITY, code: "routine", display: "Routine" },
    { system: PRIORITY, code: "urgent", display: "Urgent" },
  ],
  referralReasons: [
    { system: "http://snomed.info/sct", code: "9014002", display: "Psoriasis" },
    { system: "http://snomed.info/sct", code: "29857009", display: "Chest pain" },
  ],
};
const DESK: DeskSettings = {
  referrer: { name: "Dr. Ada Obi", npi: "1234567893", phone: "555 010 2030" },
  followUpDays: 7,
};

function handlers(over: Handlers = {}): Handlers {
  return {
    list_organisations: () => ({ organisations: [ORG_A] }),
    code_tables: () => TABLES,
    get_desk_settings: () => DESK,
    create_referral: () => referral({ id: "r-new", status: "draft" }),
    find_slots: (req) => ({
      searchId: "s1",
      referralId: req.referralId,
      asked: 1,
      answered: 1,
      failed: 0,
      options: [],
    }),
    ...over,
  };
}

// Each test walks the wizard with real typing: more than the default 5 s on a busy machine.
const WALK_MS = 15_000;

async function toServiceStep(user: ReturnType<typeof userEvent.setup>) {
  await screen.findByTestId("wizard-step-patient");
  await user.type(screen.getByTestId("patient-family"), "Chalmers");
  await user.type(screen.getByTestId("patient-given"), "Peter");
  fireEvent.change(screen.getByTestId("patient-birth-date"), { target: { value: "1974-12-25" } });
  await user.type(screen.getByTestId("patient-mrn"), "MRN-100");
  await user.click(screen.getByTestId("wizard-next"));
  await screen.findByTestId("wizard-step-service");
}

async function toSearch(user: ReturnType<typeof userEvent.setup>) {
  await user.click(screen.getByTestId("wizard-next"));
  await user.click(await screen.findByTestId(`org-checkbox-${ORG_A.id}`));
  await user.click(screen.getByTestId("wizard-next"));
  await screen.findByTestId("wizard-step-dates");
  await user.click(screen.getByTestId("wizard-next"));
}

describe("Service step: the referral's content", () => {
  it(
    "fills the referrer from Settings, lets it be changed for this referral, and sends the content",
    async () => {
      const calls = mockBackend(handlers());
      const user = userEvent.setup();
      renderWithClient(<Wizard />);
      await toServiceStep(user);
      await waitFor(() => expect(screen.getByTestId("service-referrer-name")).toHaveValue("Dr. Ada Obi"));
      expect(screen.getByTestId("service-referrer-phone")).toHaveValue("555 010 2030");

      await user.selectOptions(screen.getByTestId("service-specialty"), "394582007");
      await user.type(screen.getByRole("combobox", { name: "Reason for referral" }), "psor{Enter}");
      await user.type(screen.getByTestId("service-reason"), "Plaques on both elbows");
      await user.selectOptions(screen.getByTestId("service-priority"), "urgent");
      await user.click(screen.getByTestId("due-by-plus-7"));
      expect(screen.getByTestId("due-by-plus-7")).toHaveTextContent("In 7 days (follow-up)");
      await user.clear(screen.getByTestId("service-referrer-phone"));
      await user.type(screen.getByTestId("service-referrer-phone"), "555 010 9999");
      await user.type(screen.getByTestId("service-note"), "Interpreter needed (Yoruba).");
      await toSearch(user);

      await waitFor(() => expect(callsTo(calls, "create_referral")).toHaveLength(1));
      const sent = callsTo(calls, "create_referral")[0] as CreateReferralRequest;
      expect(sent.service).toEqual({
        specialty: CODES.specialties[0],
        visitType: null,
        priority: { system: PRIORITY, code: "urgent", display: "Urgent" },
        reason: "Plaques on both elbows",
        reasonCode: { system: "http://snomed.info/sct", code: "9014002", display: "Psoriasis" },
        dueBy: isoDateFromToday(7),
        referrer: { name: "Dr. Ada Obi", npi: "1234567893", phone: "555 010 9999" },
        note: "Interpreter needed (Yoruba).",
      });
    },
    WALK_MS,
  );

  it(
    "names bad input beside its field and stays on the step",
    async () => {
      const calls = mockBackend(handlers({ get_desk_settings: () => ({ referrer: null, followUpDays: null }) }));
      const user = userEvent.setup();
      renderWithClient(<Wizard />);
      await toServiceStep(user);
      await user.selectOptions(screen.getByTestId("service-specialty"), "394582007");
      await user.type(screen.getByTestId("service-due-by"), "2020-01-15");
      expect(screen.getByTestId("service-due-by-problem")).toHaveTextContent("Due by: this date has passed.");
      await user.type(screen.getByTestId("service-referrer-name"), "Dr. Ada Obi");
      await user.type(screen.getByTestId("service-referrer-npi"), "1234567890");
      await user.type(screen.getByTestId("service-referrer-phone"), "555-01");
      fireEvent.change(screen.getByTestId("service-note"), { target: { value: "x".repeat(1001) } });
      await user.type(screen.getByRole("combobox", { name: "Reason for referral" }), "fracture");

      expect(screen.getByTestId("service-referrer-npi-problem")).toHaveTextContent("check digit");
      expect(screen.getByTestId("service-referrer-npi")).toHaveAttribute("aria-invalid", "true");
      expect(screen.getByTestId("service-referrer-phone-problem")).toHaveTextContent("7 to 20 digits");
      expect(screen.getByTestId("service-note-problem")).toHaveTextContent(
        "Note: 1001 characters; shorten it to 1000 or fewer.",
      );
      expect(screen.getByTestId("service-reason-code-problem")).toHaveTextContent("choose a reason from the list");

      await user.click(screen.getByTestId("wizard-next"));
      expect(screen.getByTestId("wizard-step-service")).toBeInTheDocument();
      expect(screen.getByTestId("wizard-problems")).toHaveTextContent("Due by: this date has passed.");
      expect(callsTo(calls, "create_referral")).toEqual([]);
    },
    WALK_MS,
  );

  it(
    "asks for a reason, coded or in words",
    async () => {
      mockBackend(handlers());
      const user = userEvent.setup();
      renderWithClient(<Wizard />);
      await toServiceStep(user);
      await user.selectOptions(screen.getByTestId("service-specialty"), "394582007");
      await user.click(screen.getByTestId("wizard-next"));
      expect(screen.getByTestId("service-reason-problem")).toHaveTextContent(
        "Reason for referral: choose a reason from the list or describe it.",
      );
      await user.type(screen.getByRole("combobox", { name: "Reason for referral" }), "chest{ArrowDown}{Enter}");
      expect(screen.queryByTestId("service-reason-problem")).toBeNull();
      await user.click(screen.getByTestId("wizard-next"));
      expect(await screen.findByTestId("wizard-step-organisations")).toBeInTheDocument();
    },
    WALK_MS,
  );

  it(
    "shows a field the backend refused beside that field, with everything typed kept",
    async () => {
      const calls = mockBackend(
        handlers({
          create_referral: () => {
            throw {
              code: "invalid_input",
              field: "referrerPhone",
              message: "Referrer phone: the organisation's switchboard number is not accepted.",
            };
          },
        }),
      );
      const user = userEvent.setup();
      renderWithClient(<Wizard />);
      await toServiceStep(user);
      await waitFor(() => expect(screen.getByTestId("service-referrer-name")).toHaveValue("Dr. Ada Obi"));
      await user.selectOptions(screen.getByTestId("service-specialty"), "394582007");
      await user.type(screen.getByRole("combobox", { name: "Reason for referral" }), "psor{Enter}");
      await user.type(screen.getByTestId("service-note"), "Prefers mornings.");
      await toSearch(user);

      await screen.findByTestId("wizard-step-service");
      expect(screen.getByTestId("service-referrer-phone-problem")).toHaveTextContent(
        "the organisation's switchboard number is not accepted",
      );
      expect(screen.queryByTestId("error-banner")).toBeNull();
      expect(screen.getByRole("combobox", { name: "Reason for referral" })).toHaveValue("Psoriasis");
      expect(screen.getByTestId("service-note")).toHaveValue("Prefers mornings.");
      expect(screen.getByTestId("service-referrer-phone")).toHaveValue("555 010 2030");
      expect(callsTo(calls, "create_referral")).toHaveLength(1);

      await user.type(screen.getByTestId("service-referrer-phone"), "1");
      expect(screen.queryByTestId("service-referrer-phone-problem")).toBeNull();
    },
    WALK_MS,
  );
});
