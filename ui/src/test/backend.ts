// Test helpers: a mocked shell (mockIPC) answering declared commands, and the app's providers.

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import type { Channel } from "@tauri-apps/api/core";
import { mockIPC } from "@tauri-apps/api/mocks";
import { render } from "@testing-library/react";
import { createElement, type ReactElement } from "react";
import type { CommandName, Commands, FindProgress } from "../ipc/client";

export interface Call {
  cmd: string;
  request: unknown;
}

type Handler<K extends CommandName> = (
  request: Commands[K]["request"],
  extra: { progress: (p: FindProgress) => void },
) => Commands[K]["result"] | Promise<Commands[K]["result"]>;

export type Handlers = { [K in CommandName]?: Handler<K> };

/** Installs a fake shell; returns the list of calls it received (plugin calls excluded). */
export function mockBackend(handlers: Handlers): Call[] {
  const calls: Call[] = [];
  mockIPC((cmd, payload) => {
    const args = (payload ?? {}) as { request?: unknown; onProgress?: Channel<FindProgress> };
    if (cmd.startsWith("plugin:")) throw new Error(`plugin ${cmd} not available in tests`);
    calls.push({ cmd, request: args.request });
    const handler = handlers[cmd as CommandName] as Handler<CommandName> | undefined;
    if (!handler) throw { code: "local_failure", message: `Test backend has no answer for ${cmd}.` };
    const progress = (p: FindProgress) => args.onProgress?.onmessage(p);
    return handler(args.request as never, { progress });
  });
  return calls;
}

export function renderWithClient(ui: ReactElement) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  return render(createElement(QueryClientProvider, { client }, ui));
}

export function callsTo(calls: Call[], cmd: string): unknown[] {
  return calls.filter((c) => c.cmd === cmd).map((c) => c.request);
}
