// Vitest setup: DOM matchers, Testing Library's wait, and a clean IPC mock and DOM after every test.
import "@testing-library/jest-dom/vitest";
import { clearMocks } from "@tauri-apps/api/mocks";
import { cleanup, configure } from "@testing-library/react";
import { afterEach } from "vitest";

// `findBy…` and `waitFor` wait up to 5 s instead of Testing Library's 1 s: on the busy 2-core test
// machine a screen's first render (its lazy chunk, jsdom) took over 1 s once, and the queue test
// failed waiting for rows it finds well within a second on a quiet machine. Tests that wait for
// something to appear only get slower when it never does.
configure({ asyncUtilTimeout: 5_000 });

afterEach(() => {
  cleanup();
  clearMocks();
  window.location.hash = "";
  window.sessionStorage.clear();
});
