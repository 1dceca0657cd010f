// Chat webview entry point (placeholder until the chat UI lands).
import { parseHostMessage } from '../src/shared/protocol';
declare function acquireVsCodeApi(): { postMessage(message: unknown): void };
const vscodeApi = acquireVsCodeApi();
window.addEventListener('message', (event) => { parseHostMessage(event.data); });
vscodeApi.postMessage({ type: 'ready' });
