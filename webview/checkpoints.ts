// `Restore checkpoint` on each user turn after which files changed (issue 13). The host names
// those turns; the buttons follow the transcript as it renders turns (all at once or lazily).
import type { WebviewToHost } from '../src/shared/protocol';
import { h } from './dom';

/** `log`: the element whose children are the turns (Transcript.log). */
export function installCheckpoints(log: HTMLElement, post: (message: WebviewToHost) => void): (turnIds: string[]) => void {
  let turns = new Set<string>();
  const mark = (turn: Element) => {
    const id = turn.getAttribute('data-message-id') ?? '';
    const button = turn.querySelector(':scope > .restore-checkpoint');
    if (!turns.has(id)) button?.remove();
    else if (!button) turn.append(h('button', { type: 'button', class: 'secondary restore-checkpoint', onclick: () => post({ type: 'restoreCheckpoint', turnId: id }) }, 'Restore checkpoint'));
  };
  // A turn is a child of the log or of one of its children (the transcript's turn slots).
  const userTurnsIn = (node: Element) => node.matches('.user-turn') ? [node] : Array.from(node.querySelectorAll(':scope > .user-turn'));
  // The log's own children only: with the subtree, this ran for every node an answer adds while
  // it streams (~60 ms of the webview's thread for a 200 KB answer, issue 15).
  new MutationObserver((records) => {
    for (const record of records) for (const node of record.addedNodes) if (node instanceof Element) userTurnsIn(node).forEach(mark);
  }).observe(log, { childList: true });
  return (ids) => {
    turns = new Set(ids);
    for (const child of Array.from(log.children)) userTurnsIn(child).forEach(mark);
  };
}
