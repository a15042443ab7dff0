import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { KeyList } from "../../ipc/bindings/KeyList";
import { callsTo, mockBackend, renderWithClient } from "../../test/backend";
import { ORG_A, ORG_B } from "../../test/fixtures";
import { KeysSection } from "./KeysSection";

const OLD: KeyList["keys"][number] = {
  keyId: "kid-old",
  algorithm: "ES384",
  active: true,
  organisations: [{ id: ORG_A.id, displayName: ORG_A.name }],
};

describe("Keys", () => {
  it("shows each key with the organisations using it and adds an RS384 key", async () => {
    let keys: KeyList["keys"] = [OLD];
    const calls = mockBackend({
      list_organisations: () => ({ organisations: [ORG_A, ORG_B] }),
      list_keys: () => ({ keys }),
      add_key: (req) => {
        keys = [
          {
            keyId: "kid-new",
            algorithm: req.algorithm ?? "ES384",
            created: "2026-11-30T12:00:00Z",
            active: true,
            organisations: [],
          },
          { ...OLD, active: false },
        ];
        return { keys };
      },
    });
    const user = userEvent.setup();
    renderWithClient(<KeysSection />);
    const row = await screen.findByTestId("key-row");
    expect(row).toHaveTextContent("kid-old");
    expect(within(row).getByTestId("key-users")).toHaveTextContent(ORG_A.name);
    expect(row).toHaveTextContent("date unknown");

    await user.selectOptions(screen.getByTestId("key-alg"), "RS384");
    await user.click(screen.getByTestId("key-add"));
    expect(callsTo(calls, "add_key")).toEqual([{ algorithm: "RS384" }]);
    const rows = await screen.findAllByTestId("key-row");
    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveTextContent("RS384");
    expect(rows[0]).toHaveTextContent("active");
    expect(screen.getByTestId("keys-section")).not.toHaveTextContent("PRIVATE");
  });

  it("retires only after a confirmation and says plainly who still uses the key", async () => {
    const calls = mockBackend({
      list_organisations: () => ({ organisations: [ORG_A] }),
      list_keys: () => ({ keys: [OLD] }),
      retire_key: () => {
        throw {
          code: "wrong_state",
          message: `This key cannot be retired: ${ORG_A.name} still signs with it. Move it to another key first.`,
        };
      },
    });
    const user = userEvent.setup();
    renderWithClient(<KeysSection />);
    const row = await screen.findByTestId("key-row");
    await user.click(within(row).getByTestId("key-retire"));
    expect(callsTo(calls, "retire_key")).toEqual([]);
    await user.click(within(row).getByTestId("key-retire-no"));
    expect(within(row).queryByTestId("key-retire-confirm")).toBeNull();

    await user.click(within(row).getByTestId("key-retire"));
    await user.click(within(row).getByTestId("key-retire-yes"));
    expect(callsTo(calls, "retire_key")).toEqual([{ keyId: "kid-old" }]);
    expect(await within(row).findByText(/cannot be retired: .* still signs with it/)).toBeInTheDocument();
  });

  it("moves an organisation to a key", async () => {
    const other = { keyId: "kid-b", algorithm: "RS384", active: false, organisations: [] };
    const calls = mockBackend({
      list_organisations: () => ({ organisations: [ORG_A] }),
      list_keys: () => ({ keys: [OLD, other] }),
      set_organisation_key: (req) => ({
        keys: [
          { ...OLD, organisations: [] },
          { ...other, organisations: [{ id: req.organisationId, displayName: ORG_A.name }] },
        ],
      }),
    });
    const user = userEvent.setup();
    renderWithClient(<KeysSection />);
    const rows = await screen.findAllByTestId("key-row");
    const b = rows[1];
    await within(b).findByTestId("key-move-org");
    await user.selectOptions(within(b).getByTestId("key-move-org"), ORG_A.id);
    await user.click(within(b).getByTestId("key-move"));
    expect(callsTo(calls, "set_organisation_key")).toEqual([{ organisationId: ORG_A.id, keyId: "kid-b" }]);
    expect(await within(b).findByTestId("key-users")).toHaveTextContent(ORG_A.name);
  });
});
