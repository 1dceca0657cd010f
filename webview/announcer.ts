// Screen-reader announcements. The transcript's role="log" is kept silent (aria-live="off"):
// reading it live would announce every streamed delta, and replacing the conversation would read
// all of it. What is worth hearing is said here instead, once, in a short sentence:
// - polite: a finished answer ("Assistant answered: …"), "Copied to clipboard";
// - assertive: a tool call that waits for the user's approval. The model is blocked until the user
//   decides, and a polite announcement could wait behind a long answer summary being read.
// Errors are not announced here: their panels are role="alert" themselves.
import { h } from './dom';

export interface Announcer {
  readonly element: HTMLElement;
  polite(text: string): void;
  assertive(text: string): void;
}

export function createAnnouncer(): Announcer {
  const politeRegion = h('div', { class: 'visually-hidden', 'aria-live': 'polite', 'aria-atomic': 'true', 'data-announcer': 'polite' });
  const assertiveRegion = h('div', { class: 'visually-hidden', 'aria-live': 'assertive', 'aria-atomic': 'true', 'data-announcer': 'assertive' });
  // A fresh node per announcement: screen readers announce an addition even when the same
  // sentence was said just before (two Copy clicks in a row).
  const say = (region: HTMLElement, text: string) => region.replaceChildren(h('p', null, text));
  return {
    element: h('div', { class: 'announcer' }, politeRegion, assertiveRegion),
    polite: (text) => say(politeRegion, text),
    assertive: (text) => say(assertiveRegion, text),
  };
}
