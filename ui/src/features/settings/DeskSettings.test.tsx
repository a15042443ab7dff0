import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { callsTo, mockBackend, renderWithClient } from "../../test/backend";
import { DeskSettingsSection, followUpProblem } from "./DeskSettingsSection";

describe("Settings: referring clinician", () => {
  it("saves the desk's referrer and follow-up days", async () => {
    const calls = mockBackend({
      get_desk_settings: () => ({ referrer: null, followUpDays: null }),
      save_desk_settings: (req) => req,
    });
    const user = userEvent.setup();
    renderWithClient(<DeskSettingsSection />);
    await user.type(await screen.findByTestId("settings-referrer-name"), "Dr. Ada Obi");
    await user.type(screen.getByTestId("settings-referrer-npi"), "1234567893");
    await user.type(screen.getByTestId("settings-referrer-phone"), "+1 555 010 2030");
    await user.type(screen.getByTestId("settings-follow-up-days"), "7");
    await user.click(screen.getByTestId("desk-settings-save"));
    expect(await screen.findByTestId("desk-settings-saved")).toHaveTextContent("Saved.");
    expect(callsTo(calls, "save_desk_settings")).toEqual([
      { referrer: { name: "Dr. Ada Obi", npi: "1234567893", phone: "+1 555 010 2030" }, followUpDays: 7 },
    ]);
  });

  it("shows what is stored, refuses bad input beside its field, and shows a refused field there", async () => {
    const calls = mockBackend({
      get_desk_settings: () => ({
        referrer: { name: "Dr. Ada Obi", npi: null, phone: "555 010 2030" },
        followUpDays: 7,
      }),
      save_desk_settings: () => {
        throw { code: "invalid_input", field: "referrerPhone", message: "Referrer phone: not a number we can call." };
      },
    });
    const user = userEvent.setup();
    renderWithClient(<DeskSettingsSection />);
    await waitFor(() => expect(screen.getByTestId("settings-referrer-name")).toHaveValue("Dr. Ada Obi"));
    expect(screen.getByTestId("settings-follow-up-days")).toHaveValue("7");

    await user.type(screen.getByTestId("settings-referrer-npi"), "12345");
    await user.clear(screen.getByTestId("settings-follow-up-days"));
    await user.type(screen.getByTestId("settings-follow-up-days"), "seven");
    await user.click(screen.getByTestId("desk-settings-save"));
    expect(screen.getByTestId("settings-referrer-npi-problem")).toHaveTextContent("10 digits");
    expect(screen.getByTestId("settings-follow-up-days-problem")).toHaveTextContent("whole number of days");
    expect(callsTo(calls, "save_desk_settings")).toEqual([]);

    await user.clear(screen.getByTestId("settings-referrer-npi"));
    await user.clear(screen.getByTestId("settings-follow-up-days"));
    await user.click(screen.getByTestId("desk-settings-save"));
    expect(await screen.findByTestId("settings-referrer-phone-problem")).toHaveTextContent("not a number we can call");
    expect(screen.getByTestId("settings-referrer-phone")).toHaveValue("555 010 2030");
    expect(callsTo(calls, "save_desk_settings")).toEqual([
      { referrer: { name: "Dr. Ada Obi", npi: null, phone: "555 010 2030" }, followUpDays: null },
    ]);
  });

  it("takes 1 to 365 follow-up days, or none", () => {
    expect(followUpProblem("")).toBeNull();
    expect(followUpProblem("14")).toBeNull();
    expect(followUpProblem("0")).not.toBeNull();
    expect(followUpProblem("366")).not.toBeNull();
    expect(followUpProblem("1.5")).not.toBeNull();
  });
});
