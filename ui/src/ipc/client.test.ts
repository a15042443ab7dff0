import type { Channel } from "@tauri-apps/api/core";
import { mockIPC } from "@tauri-apps/api/mocks";
import { describe, expect, it } from "vitest";
import { ApiCallError, call, type FindProgress, findSlots, toApiCallError } from "./client";

describe("ipc client", () => {
  it("sends the one request struct under the `request` key", async () => {
    let seen: unknown = null;
    mockIPC((cmd, payload) => {
      seen = { cmd, payload };
      return { id: "x" };
    });
    await call("remove_organisation", { id: "org-a" });
    expect(seen).toEqual({ cmd: "remove_organisation", payload: { request: { id: "org-a" } } });
  });

  it("turns the shell's ApiError into an ApiCallError with code and sentence", async () => {
    mockIPC(() => {
      throw { code: "slot_unavailable", message: "Napa: taken." };
    });
    const err = await call("hold_slot", { referralId: "r", optionId: "o" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiCallError);
    expect(err).toMatchObject({ code: "slot_unavailable", message: "Napa: taken." });
  });

  it("never shows a raw or unknown error: it becomes a plain internal sentence", () => {
    const e = toApiCallError(new TypeError("x is undefined"));
    expect(e.code).toBe("internal");
    expect(e.message).not.toContain("undefined");
    expect(toApiCallError({ code: "teapot", message: "m" }).code).toBe("internal");
  });

  it("delivers find progress messages from the channel, then the summary", async () => {
    mockIPC((cmd, payload) => {
      expect(cmd).toBe("find_slots");
      const { onProgress } = payload as { onProgress: Channel<FindProgress> };
      onProgress.onmessage({
        searchId: "s",
        organisationId: "a",
        organisationName: "A",
        state: "done",
        options: [],
        error: null,
      });
      return { searchId: "s", referralId: "r", asked: 1, answered: 1, failed: 0, options: [] };
    });
    const got: FindProgress[] = [];
    const summary = await findSlots({ referralId: "r", organisationIds: [], window: null }, (p) => got.push(p));
    expect(got.map((p) => p.organisationId)).toEqual(["a"]);
    expect(summary.answered).toBe(1);
  });
});
