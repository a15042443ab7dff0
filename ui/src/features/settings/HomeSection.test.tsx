import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { SaveHomeRequest } from "../../ipc/bindings/SaveHomeRequest";
import { callsTo, mockBackend, renderWithClient } from "../../test/backend";
import { HOME } from "../../test/fixtures";
import { HomeSection } from "./HomeSection";

describe("Settings → Home organisation", () => {
  it("saves a new home with the claim length in seconds and shows how other desks see this one", async () => {
    const calls = mockBackend({
      get_home: () => ({ configured: false, home: null }),
      save_home: (req) => ({
        configured: true,
        home: { ...HOME, name: req.name, baseUrl: req.baseUrl, leaseSeconds: req.leaseSeconds ?? 900 },
      }),
    });
    const user = userEvent.setup();
    renderWithClient(<HomeSection />);
    const form = await screen.findByTestId("home-settings");
    expect(within(form).getByTestId("home-lease-minutes")).toHaveValue("15");
    await user.type(within(form).getByTestId("home-name"), "Riverside General");
    await user.type(within(form).getByTestId("home-base-url"), "https://ehr.riverside.example/fhir");
    await user.type(within(form).getByTestId("home-client-id"), "refdesk");
    await user.clear(within(form).getByTestId("home-lease-minutes"));
    await user.type(within(form).getByTestId("home-lease-minutes"), "5");
    await user.click(within(form).getByTestId("home-save"));
    await screen.findByTestId("home-saved");
    expect(callsTo(calls, "save_home")[0] as SaveHomeRequest).toEqual({
      name: "Riverside General",
      baseUrl: "https://ehr.riverside.example/fhir",
      clientId: "refdesk",
      leaseSeconds: 300,
    });
    expect(screen.getByTestId("home-desk")).toHaveTextContent("Other desks see this one as “ana at WS-2”.");
  });

  it("fills the form from the saved home and refuses blank or impossible values without saving", async () => {
    const calls = mockBackend({ get_home: () => ({ configured: true, home: HOME }) });
    const user = userEvent.setup();
    renderWithClient(<HomeSection />);
    const name = await screen.findByTestId("home-name");
    expect(name).toHaveValue("Riverside General");
    expect(screen.getByTestId("home-lease-minutes")).toHaveValue("15");
    await user.clear(name);
    await user.clear(screen.getByTestId("home-base-url"));
    await user.type(screen.getByTestId("home-base-url"), "riverside");
    await user.clear(screen.getByTestId("home-lease-minutes"));
    await user.type(screen.getByTestId("home-lease-minutes"), "0");
    await user.click(screen.getByTestId("home-save"));
    expect(await screen.findByTestId("home-name-problem")).toHaveTextContent("Enter the organisation's name.");
    expect(screen.getByTestId("home-base-url-problem")).toHaveTextContent("beginning with https://");
    expect(screen.getByTestId("home-lease-minutes-problem")).toHaveTextContent("from 1 to 240");
    expect(callsTo(calls, "save_home")).toHaveLength(0);
  });

  it("shows a refusal beside the field the backend names", async () => {
    mockBackend({
      get_home: () => ({ configured: true, home: HOME }),
      save_home: () => {
        throw { code: "invalid_input", message: "The client id may not contain spaces.", field: "clientId" };
      },
    });
    const user = userEvent.setup();
    renderWithClient(<HomeSection />);
    await user.click(await screen.findByTestId("home-save"));
    await waitFor(() =>
      expect(screen.getByTestId("home-client-id-problem")).toHaveTextContent("The client id may not contain spaces."),
    );
  });
});
