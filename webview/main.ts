// Chat webview entry point: builds the view, validates every host message, then says `ready`
// (the host posts `init` only after it).
import './zodConfig';
import { parseHostMessage } from '../src/shared/protocol';
import { ChatApp } from './app';
import { stageSnapshot } from './stagedSnapshot';
import { loadPersistedState, postToHost, savePersistedState } from './vscodeApi';
import { loadMarkdownRenderer } from './markdown/renderer';

/** This bundle's script element (only known while it runs): the renderer is loaded next to it. */
const ownScript = document.currentScript as HTMLScriptElement | null;

function start(): void {
  const root = document.getElementById('app') ?? document.body.appendChild(document.createElement('div'));
  const state = loadPersistedState();
  const app = new ChatApp(root, {
    post: postToHost,
    saveDraft: (draft) => savePersistedState(Object.assign(state, { draft })),
    initialDraft: state.draft ?? '',
    saveMode: (mode) => savePersistedState(Object.assign(state, { mode })),
    initialMode: state.mode ?? 'agent',
  });
  let cancelOlder = (): void => undefined;
  window.addEventListener('message', (event: MessageEvent) => {
    // A long conversation: its newest turns first, the older ones after the first paint.
    const staged = stageSnapshot(event.data);
    const parsed = parseHostMessage(staged?.head ?? event.data);
    if (!parsed.ok) {
      postToHost({ type: 'log', level: 'warn', message: `[webview] ignored invalid host message: ${parsed.error}` });
      return;
    }
    if (parsed.value.type === 'init' || parsed.value.type === 'conversation') cancelOlder();
    try {
      app.handle(parsed.value);
    } catch (error) {
      postToHost({ type: 'log', level: 'error', message: `[webview] failed to handle ${parsed.value.type}: ${error instanceof Error ? error.stack ?? error.message : String(error)}` });
    }
    if (staged) cancelOlder = app.loadOlderMessages(staged.older);
  });
  postToHost({ type: 'ready' });
  // The markdown renderer after the first paint: the composer and the transcript do not wait for it.
  requestAnimationFrame(() => setTimeout(() => loadMarkdownRenderer(ownScript, (message) => postToHost({ type: 'log', level: 'warn', message: `[webview] ${message}` })), 0));
}

start();
