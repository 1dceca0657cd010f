// Inline error panels: the plain message and the next step the user can take.
import type { ErrorInfo } from '../src/shared/model';
import type { WebviewToHost } from '../src/shared/protocol';
import { h } from './dom';

type Post = (message: WebviewToHost) => void;

// The stream limits are not retried automatically (a retry would repeat a long answer) but may be by hand.
const retryableKinds = new Set(['overloaded', 'server', 'network', 'timeout', 'malformed_response', 'unknown', 'stream_too_large', 'answer_timeout']);

export interface ErrorView {
  element: HTMLElement;
  /** Stops the rate-limit countdown timer. */
  dispose(): void;
}

export function renderError(error: ErrorInfo, post: Post): ErrorView {
  const element = h('div', { class: 'error-panel', role: 'alert' }, h('p', { class: 'error-message' }, error.message));
  const actions = h('div', { class: 'button-row' });
  let timer: ReturnType<typeof setInterval> | undefined;
  const retryButton = () => h('button', { type: 'button', class: 'primary', onclick: () => post({ type: 'retry' }) }, 'Retry');
  const setKeyButton = () => h('button', { type: 'button', class: 'primary', onclick: () => post({ type: 'setApiKey' }) }, 'Set API key');
  const hint = (text: string) => element.appendChild(h('p', { class: 'error-hint' }, text));

  switch (error.kind) {
    case 'no_api_key':
      hint('Set your AI/ML API key to start chatting.');
      actions.append(setKeyButton());
      break;
    case 'authentication':
      hint('The gateway did not accept the API key. Set a valid key and try again.');
      actions.append(setKeyButton());
      break;
    case 'permission':
      hint('Your account may be out of credits or not allowed to use this model. Check your AI/ML API balance and plan.');
      break;
    case 'rate_limit': {
      // The countdown is not announced every second: the alert itself was announced once.
      const countdown = h('p', { class: 'error-countdown', 'aria-live': 'off' });
      element.appendChild(countdown);
      const deadline = Date.now() + (error.retryAfterMs ?? 0);
      const tick = () => {
        const seconds = Math.ceil((deadline - Date.now()) / 1000);
        if (seconds > 0) {
          const text = `Rate limited. You can retry in ${seconds} s.`;
          if (countdown.textContent !== text) countdown.textContent = text;
          return;
        }
        countdown.textContent = 'You can retry now.';
        if (timer !== undefined) clearInterval(timer);
        timer = undefined;
        if (!actions.querySelector('button')) actions.append(retryButton());
      };
      tick();
      if (!actions.querySelector('button')) timer = setInterval(tick, 250);
      break;
    }
    default:
      if (retryableKinds.has(error.kind) || error.retryable) actions.append(retryButton());
  }
  element.appendChild(actions);
  return { element, dispose: () => { if (timer !== undefined) clearInterval(timer); } };
}
