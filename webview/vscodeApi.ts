// The only place that touches acquireVsCodeApi(). The handle stays private to this module (never
// on window) so that nothing rendered into the page can reach the host's message channel.
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
    const draft = (state as { draft?: unknown }).draft;
    return typeof draft === 'string' ? { draft } : {};
  }
  return {};
}

export function savePersistedState(state: PersistedState): void {
  vscode().setState(state);
}
