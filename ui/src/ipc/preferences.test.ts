import { mockIPC } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it, vi } from "vitest";

const GLOBAL = "__REFDESK_PREFERENCES_FILE__";

afterEach(() => {
  Reflect.deleteProperty(globalThis, GLOBAL);
  vi.resetModules();
});

describe("preferences file", () => {
  it("is the profile's file the shell names, else the store's default name", async () => {
    const { preferencesFile } = await import("./client");
    expect(preferencesFile()).toBe("preferences.json");
    Object.defineProperty(globalThis, GLOBAL, { value: "/profiles/desk-2/preferences.json", configurable: true });
    expect(preferencesFile()).toBe("/profiles/desk-2/preferences.json");
    Object.defineProperty(globalThis, GLOBAL, { value: 42, configurable: true });
    expect(preferencesFile()).toBe("preferences.json");
  });

  it("the theme is read from and saved to the store at the profile's file", async () => {
    Object.defineProperty(globalThis, GLOBAL, { value: "/profiles/desk-2/preferences.json", configurable: true });
    const calls: { cmd: string; payload: unknown }[] = [];
    mockIPC((cmd, payload) => {
      calls.push({ cmd, payload });
      if (cmd === "plugin:store|load") return 7;
      if (cmd === "plugin:store|get") return ["dark", true];
      return null;
    });
    const { loadTheme, saveTheme } = await import("./client");
    expect(await loadTheme()).toBe("dark");
    await saveTheme("light");
    const loads = calls.filter((c) => c.cmd === "plugin:store|load");
    expect(loads).toHaveLength(1);
    expect(loads[0]?.payload).toMatchObject({ path: "/profiles/desk-2/preferences.json" });
    expect(calls.find((c) => c.cmd === "plugin:store|set")?.payload).toMatchObject({
      rid: 7,
      key: "theme",
      value: "light",
    });
  });
});
