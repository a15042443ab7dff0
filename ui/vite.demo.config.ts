// Builds demo.html (the UI with an in-memory stand-in for the shell) for screenshots/review.
import { defineConfig, mergeConfig } from "vite";
import base from "./vite.config";

export default mergeConfig(
  base,
  defineConfig({
    build: { outDir: "demo-dist", emptyOutDir: true, rollupOptions: { input: "demo.html" } },
  }),
);
