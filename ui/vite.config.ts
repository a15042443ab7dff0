/// <reference types="vitest/config" />
// Vite build for the Tauri webview (frontendDist = ../ui/dist) and the vitest setup.

import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

export default defineConfig({
  plugins: [react()],
  // Relative asset paths: the bundle is served by Tauri's custom protocol, not a web server root.
  base: "./",
  clearScreen: false,
  server: { host: "localhost", port: 5173, strictPort: true },
  build: { outDir: "dist", emptyOutDir: true, target: "es2022", sourcemap: false },
  test: {
    environment: "jsdom",
    setupFiles: ["./src/test/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
    restoreMocks: true,
    // jsdom renders slowly on the 2-core test machine when it is busy (the default 5 s timed out
    // there, rendering 200 queue rows); no test asserts its own duration.
    testTimeout: 20_000,
  },
});
