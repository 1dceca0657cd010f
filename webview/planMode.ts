// Plan mode in the view (issue 13): the `Mode` control in the composer (a native select: keyboard
// operable, its state visible and announced) and the `Act on this plan` button on a finished
// Plan-mode answer. The button raises a bubbling DOM event that the app turns into "switch to
// Agent, send"; the transcript needs to know nothing about it.
import type { ChatMode, StoredMessage } from '../src/shared/model';
import { h, icon } from './dom';

/** The follow-up prompt the button sends in Agent mode. */
export const ACT_ON_PLAN_PROMPT = 'Act on this plan.';
export const ACT_ON_PLAN_EVENT = 'aiml-act-on-plan';

export function modeSelect(initial: ChatMode, onChange: (mode: ChatMode) => void): HTMLSelectElement {
  const select = h('select', { class: 'model-select', 'aria-label': 'Mode', title: 'Mode: Agent may propose edits and run commands; Plan reads only and answers with a plan' },
    h('option', { value: 'agent' }, 'Agent'),
    h('option', { value: 'plan' }, 'Plan'));
  select.value = initial;
  select.addEventListener('change', () => onChange(modeOf(select.value)));
  return select;
}

export function modeOf(value: unknown): ChatMode {
  return value === 'plan' ? 'plan' : 'agent';
}

/** A send's `mode`: only Plan is spelled out (absent means Agent, as before the control existed). */
export function modeField(mode: ChatMode): { mode?: 'plan' } {
  return mode === 'plan' ? { mode } : {};
}

/** The answer of a Plan-mode turn has finished without error and asks for nothing more (no tool round left). */
export function isFinishedPlan(last: StoredMessage | undefined): boolean {
  return !!last && last.mode === 'plan' && (last.status ?? 'complete') === 'complete' && !last.error && last.stopReason !== 'tool_use';
}

/** The row under a plan answer; hidden until the answer is a finished plan. */
export function actOnPlanRow(): HTMLElement {
  const button = h('button', { type: 'button', class: 'secondary' }, icon('play'), ' Act on this plan');
  button.addEventListener('click', () => button.dispatchEvent(new CustomEvent(ACT_ON_PLAN_EVENT, { bubbles: true })));
  return h('div', { class: 'plan-action', hidden: true }, button);
}
