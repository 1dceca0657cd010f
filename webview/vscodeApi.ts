// The only place that touches acquireVsCodeApi(). The handle stays private to this module (never
// on window) so that nothing rendered into the page can reach the host's message channel.
import type { ChatMode } from '../src/shared/model';
import type { WebviewToHost } from '../src/shared/protocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** What survives a reload of the webview (VS Code keeps it while the view is hidden or reloaded). */
export interface PersistedState {
  draft?: string;
  /** The `Mode` control (VS Code keeps webview state per workspace). */
  mode?: ChatMode;
}

let api: VsCodeApi | undefined;

function vscode(): VsCodeApi {
  // acquireVsCodeApi may be called only once per page load.
  api ??= acquireVsCodeApi();
  return api;
}

export function postToHost(message: WebviewToHost): void {
  vscode().postMessage(message);
}

export function loadPersistedState(): PersistedState {
  const state = vscode().getState();
  if (state && typeof state === 'object') {
    const { draft, mode } = state as { draft?: unknown; mode?: unknown };
    return { ...(typeof draft === 'string' ? { draft } : {}), ...(mode === 'plan' || mode === 'agent' ? { mode } : {}) };
  }
  return {};
}

export function savePersistedState(state: PersistedState): void {
  vscode().setState(state);
}
