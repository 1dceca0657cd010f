// The chips above the Message box: context attached to the message being written (each with its
// size in tokens and a `Remove <label>` button), and the instruction files in use
// (`Instructions: <file>`, informational). Problems attaching something show in one alert line.
import type { ContextAttachment, InstructionInfo } from '../../src/shared/context';
import { h, icon } from '../dom';

export function formatChipTokens(tokens: number): string {
  return tokens >= 1000 ? `${(tokens / 1000).toFixed(tokens >= 10_000 ? 0 : 1)}k tokens` : `${tokens} tokens`;
}

const KIND_ICONS: Record<ContextAttachment['kind'], string> = {
  file: 'file', folder: 'folder', selection: 'selection', problems: 'warning', changes: 'git-compare', terminal: 'terminal',
};

/** A read-only chip (sent messages in the transcript, instruction files). */
export function renderChip(label: string, tokens: number, iconName: string, title?: string): HTMLElement {
  return h('span', { class: 'context-chip', title: title ?? label },
    icon(iconName),
    h('span', { class: 'context-chip-label' }, label),
    h('span', { class: 'context-chip-tokens' }, formatChipTokens(tokens)));
}

/** The chips of a sent prompt, for its "You" article. */
export function renderMessageContext(context: readonly ContextAttachment[] | undefined): HTMLElement | null {
  if (!context?.length) return null;
  return h('ul', { class: 'context-chips sent', 'aria-label': 'Attached context' },
    ...context.map((chip) => h('li', null, renderChip(chip.label, chip.tokens, KIND_ICONS[chip.kind], chip.truncated ? `${chip.label} (shortened to fit)` : undefined))));
}

export class ContextChips {
  readonly element: HTMLElement;
  private readonly list: HTMLUListElement;
  private readonly instructionList: HTMLUListElement;
  private readonly notice: HTMLElement;
  private chips: ContextAttachment[] = [];

  constructor(private readonly onChange: () => void, private readonly focusAfterRemove: () => void) {
    this.list = h('ul', { class: 'context-chips', 'aria-label': 'Attached context' });
    this.instructionList = h('ul', { class: 'context-chips instructions', 'aria-label': 'Instruction files' });
    this.notice = h('div', { class: 'context-notice', role: 'alert' });
    this.element = h('div', { class: 'context-tray' }, this.instructionList, this.list, this.notice);
    this.instructionList.hidden = true;
    this.notice.hidden = true;
    this.refresh(false);
  }

  attached(): ContextAttachment[] {
    return this.chips.map((chip) => ({ ...chip }));
  }

  get tokens(): number {
    return this.chips.reduce((sum, chip) => sum + chip.tokens, 0);
  }

  add(chip: ContextAttachment): void {
    // The same source twice is one chip.
    const same = (c: ContextAttachment) => c.kind === chip.kind && c.label === chip.label;
    this.chips = [...this.chips.filter((c) => !same(c)), chip];
    this.showNotice('');
    this.refresh();
  }

  clear(): void {
    this.chips = [];
    this.showNotice('');
    this.refresh();
  }

  showNotice(text: string): void {
    this.notice.textContent = text;
    this.notice.hidden = !text;
  }

  setInstructions(files: readonly InstructionInfo[]): void {
    this.instructionList.replaceChildren(...files.map((file) => h('li', null,
      renderChip(`Instructions: ${file.label}`, file.tokens, 'book', file.warning ?? `Instructions from ${file.label}, sent with every request`))));
    this.instructionList.hidden = files.length === 0;
  }

  private remove(index: number): void {
    this.chips.splice(index, 1);
    this.refresh();
    // Focus the next chip's Remove button, or the Message box when none is left.
    const buttons = this.list.querySelectorAll<HTMLButtonElement>('button');
    const next = buttons[Math.min(index, buttons.length - 1)];
    if (next) next.focus();
    else this.focusAfterRemove();
  }

  private refresh(notify = true): void {
    this.list.replaceChildren(...this.chips.map((chip, index) => {
      const remove = h('button', { type: 'button', class: 'icon-button context-chip-remove', 'aria-label': `Remove ${chip.label}`, title: `Remove ${chip.label}` }, icon('close'));
      remove.addEventListener('click', () => this.remove(index));
      const view = renderChip(chip.label, chip.tokens, KIND_ICONS[chip.kind], chip.truncated ? `${chip.label} (shortened to fit)` : undefined);
      view.appendChild(remove);
      return h('li', null, view);
    }));
    this.list.hidden = this.chips.length === 0;
    if (notify) this.onChange();
  }
}
