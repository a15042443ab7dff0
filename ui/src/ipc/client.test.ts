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
      throw { code: "coverage_refused", message: "Napa did not accept the patient's coverage.", field: 42 };
    });
    const err = await call("hold_slot", { referralId: "r", optionId: "o" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiCallError);
    expect(err).toMatchObject({
      code: "coverage_refused",
      message: "Napa did not accept the patient's coverage.",
      field: null,
    });
  });

  it("never shows a raw or unknown error: it becomes a plain local-failure sentence", () => {
    const e = toApiCallError(new TypeError("x is undefined"));
    expect(e.code).toBe("local_failure");
    expect(e.message).not.toContain("undefined");
    expect(toApiCallError({ code: "teapot", message: "m" }).code).toBe("local_failure");
    for (const retired of ["slot_unavailable", "conflict", "internal"]) {
      expect(toApiCallError({ code: retired, message: "m" }).code).toBe("local_failure");
    }
  });

  it("keeps the field of invalid input and the OAuth error of a refused token", () => {
    expect(
      toApiCallError({ code: "invalid_input", message: "Date of birth: use YYYY-MM-DD.", field: "birthDate" }).field,
    ).toBe("birthDate");
    const e = toApiCallError({
      code: "unauthorized",
      message: "North did not accept the credentials.",
      oauthError: "invalid_client",
    });
    expect(e.oauthError).toBe("invalid_client");
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
