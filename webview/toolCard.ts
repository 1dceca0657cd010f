// The card of one tool call: tool, target, status, summary, expandable details and, while the
// user must decide, the approval buttons (Allow/Deny, Run/Deny for a command, or Apply/Discard
// with a per-hunk choice).
import type { ToolCallState, ToolCallStatus } from '../src/shared/model';
import type { WebviewToHost } from '../src/shared/protocol';
import { h, icon } from './dom';

type Post = (message: WebviewToHost) => void;

/** What the rest of the view does when a card starts or stops waiting for the user. */
export interface ToolCardHooks {
  /** The card now waits for approval (announced at once). */
  awaitingApproval?(state: ToolCallState): void;
  /** The user decided; the card's buttons are disabled, so focus must move on. */
  decided?(card: HTMLElement): void;
}

const statusIcons: Record<ToolCallStatus, string> = {
  validating: 'loading',
  awaiting_approval: 'shield',
  running: 'loading',
  succeeded: 'check',
  failed: 'error',
  denied: 'circle-slash',
  discarded: 'discard',
  applied: 'check-all',
  skipped: 'debug-step-over',
};

const statusLabels: Record<ToolCallStatus, string> = {
  validating: 'Preparing',
  awaiting_approval: 'Waiting for your approval',
  running: 'Running',
  succeeded: 'Done',
  failed: 'Failed',
  denied: 'Denied',
  discarded: 'Discarded',
  applied: 'Applied',
  skipped: 'Skipped',
};

export class ToolCard {
  readonly element: HTMLElement;
  private state: ToolCallState;
  /** Text of the tool input while it streams in, shown until the host sends a real state. */
  private inputPreview = '';

  constructor(initial: ToolCallState, private readonly post: Post, private readonly hooks: ToolCardHooks = {}) {
    this.state = initial;
    this.element = h('div', { class: 'tool-card', role: 'group' });
    this.render();
    if (initial.status === 'awaiting_approval') this.hooks.awaitingApproval?.(initial);
  }

  update(state: ToolCallState): void {
    const wasWaiting = this.state.status === 'awaiting_approval';
    this.state = state;
    this.render();
    if (!wasWaiting && state.status === 'awaiting_approval') this.hooks.awaitingApproval?.(state);
  }

  appendInputPreview(text: string): void {
    this.inputPreview += text;
    const pre = this.element.querySelector('.tool-input-preview');
    if (pre) pre.textContent = this.inputPreview;
    else this.render();
  }

  private render(): void {
    const { tool, target, status, summary, details, approval } = this.state;
    const spinning = status === 'running' || status === 'validating';
    this.element.setAttribute('aria-label', `Tool call: ${tool} ${target}`.trim());
    this.element.dataset.status = status;
    const statusIcon = icon(statusIcons[status]);
    if (spinning) statusIcon.classList.add('codicon-modifier-spin');
    const header = h('div', { class: 'tool-header' },
      h('span', { class: 'tool-status', role: 'img', 'aria-label': statusLabels[status], title: statusLabels[status] }, statusIcon),
      h('span', { class: 'tool-name' }, tool),
      target ? h('span', { class: 'tool-target', title: target }, target) : null,
    );
    const children: Node[] = [header];
    if (summary) children.push(h('div', { class: 'tool-summary' }, summary));
    const detailText = details ?? (this.inputPreview && !approval ? this.inputPreview : '');
    if (detailText) {
      children.push(h('details', { class: 'tool-details' },
        h('summary', null, 'Details'),
        h('pre', { class: details ? 'tool-details-text' : 'tool-input-preview' }, detailText)));
    }
    if (approval && status === 'awaiting_approval') children.push(this.renderApproval(approval));
    this.element.replaceChildren(...children);
  }

  private renderApproval(approval: NonNullable<ToolCallState['approval']>): HTMLElement {
    const { toolUseId } = this.state;
    const section = h('div', { class: 'tool-approval' }, h('p', { class: 'tool-reason' }, approval.reason));
    const decide = (decision: 'allow' | 'deny' | 'apply' | 'discard', acceptedHunks?: number[]) => {
      for (const button of Array.from(section.querySelectorAll('button'))) button.disabled = true;
      this.post(acceptedHunks ? { type: 'toolDecision', toolUseId, decision, acceptedHunks } : { type: 'toolDecision', toolUseId, decision });
      this.hooks.decided?.(this.element);
    };
    if (approval.kind === 'command') {
      // The exact command and its folder, as they will run: the user decides on what they read.
      const command = approval.command ?? { text: this.state.target, cwd: '.' };
      section.append(
        h('pre', { class: 'tool-command', 'aria-label': 'Command' }, command.text),
        h('p', { class: 'tool-command-cwd' }, `in ${command.cwd}`),
        h('div', { class: 'button-row' },
          h('button', { type: 'button', class: 'primary', onclick: () => decide('allow') }, 'Run'),
          h('button', { type: 'button', class: 'secondary', onclick: () => decide('deny') }, 'Deny')));
      return section;
    }
    if (approval.kind === 'allow_deny') {
      section.append(h('div', { class: 'button-row' },
        h('button', { type: 'button', class: 'primary', onclick: () => decide('allow') }, 'Allow'),
        h('button', { type: 'button', class: 'secondary', onclick: () => decide('deny') }, 'Deny')));
      return section;
    }
    const hunkBoxes: HTMLInputElement[] = [];
    if (approval.hunks?.length) {
      const list = h('fieldset', { class: 'tool-hunks' }, h('legend', null, 'Changes to apply'));
      for (const hunk of approval.hunks) {
        const box = h('input', { type: 'checkbox', checked: true, 'data-hunk': hunk.index });
        hunkBoxes.push(box);
        list.append(h('label', { class: 'tool-hunk' }, box, h('span', { class: 'hunk-header' }, hunk.header), h('pre', { class: 'hunk-preview' }, hunk.preview)));
      }
      section.append(list);
    }
    const accepted = () => (approval.hunks?.length ? hunkBoxes.filter((box) => box.checked).map((box) => Number(box.dataset.hunk)) : undefined);
    section.append(h('div', { class: 'button-row' },
      h('button', { type: 'button', class: 'secondary', onclick: () => this.post({ type: 'showDiff', toolUseId }) }, 'Show diff'),
      h('button', { type: 'button', class: 'primary', onclick: () => decide('apply', accepted()) }, 'Apply'),
      h('button', { type: 'button', class: 'secondary', onclick: () => decide('discard') }, 'Discard')));
    return section;
  }
}
