// The listboxes that open from the Message box: `Context` after `#` (workspace files and folders
// from the host, plus selection/problems/changes/terminal) and `Commands` after `/` at the start.
// ARIA combobox pattern: focus stays in the textbox, which points at the listbox
// (aria-controls) and at the highlighted option (aria-activedescendant). Arrows move, Enter or Tab
// picks, Escape closes; keys are caught in the capture phase so the composer never sends or stops
// while a list is open.
import type { ContextOption } from '../../src/shared/context';
import { SLASH_COMMANDS } from '../../src/shared/context';
import { h } from '../dom';

type Mode = 'context' | 'commands';

interface Entry {
  label: string;
  detail?: string;
  pick(): void;
}

/** The special sources, always offered when they match what was typed after `#`. */
export const SPECIAL_OPTIONS: readonly ContextOption[] = [
  { kind: 'selection', label: 'selection', detail: 'the text selected in the editor' },
  { kind: 'problems', label: 'problems', detail: 'errors and warnings of the active file, or the workspace' },
  { kind: 'changes', label: 'changes', detail: 'the working tree diff (git)' },
  { kind: 'terminal', label: 'terminal', detail: 'the last command and its output' },
];

export interface PickerActions {
  queryFiles(requestId: number, query: string): void;
  pickContext(option: ContextOption): void;
}

let nextListId = 0;

export class ContextPicker {
  readonly element: HTMLUListElement;
  private mode: Mode | undefined;
  private entries: Entry[] = [];
  private active = 0;
  /** Where the trigger (`#query` or `/command`) sits in the text. */
  private trigger = { start: 0, end: 0, query: '' };
  private requestId = 0;
  private files: ContextOption[] = [];
  private readonly listId = `context-listbox-${++nextListId}`;

  constructor(private readonly textbox: HTMLTextAreaElement, keyScope: HTMLElement, private readonly actions: PickerActions) {
    this.element = h('ul', { id: this.listId, class: 'context-listbox', role: 'listbox', hidden: true });
    this.element.addEventListener('mousedown', (event) => event.preventDefault()); // keep focus in the textbox
    textbox.setAttribute('aria-autocomplete', 'list');
    textbox.addEventListener('input', () => this.update());
    textbox.addEventListener('click', () => this.update());
    textbox.addEventListener('blur', () => this.close());
    keyScope.addEventListener('keydown', (event) => this.onKeyDown(event), true);
  }

  get isOpen(): boolean {
    return this.mode !== undefined;
  }

  /** The host's answer to a file query; stale answers (an older requestId) are ignored. */
  receiveFiles(requestId: number, options: ContextOption[]): void {
    if (requestId !== this.requestId || this.mode !== 'context') return;
    this.files = options;
    this.render();
  }

  close(): void {
    if (!this.mode) return;
    this.mode = undefined;
    this.element.hidden = true;
    this.element.replaceChildren();
    this.textbox.removeAttribute('aria-activedescendant');
    this.textbox.removeAttribute('aria-controls');
  }

  /** Looks at the text before the caret and opens, updates or closes the right list. */
  private update(): void {
    const caret = this.textbox.selectionStart ?? 0;
    if (caret !== this.textbox.selectionEnd) return this.close();
    const before = this.textbox.value.slice(0, caret);
    const command = /^\/([a-z]*)$/.exec(before);
    const mention = /(^|\s)#([^\s#]*)$/.exec(before);
    if (command) {
      this.open('commands', { start: 0, end: caret, query: command[1] });
    } else if (mention) {
      const query = mention[2];
      const changed = this.mode !== 'context' || query !== this.trigger.query;
      this.open('context', { start: caret - query.length - 1, end: caret, query });
      if (changed) this.actions.queryFiles(++this.requestId, query);
    } else {
      this.close();
    }
  }

  private open(mode: Mode, trigger: { start: number; end: number; query: string }): void {
    if (this.mode !== mode) {
      this.files = [];
      this.active = 0;
    }
    if (trigger.query !== this.trigger.query) this.active = 0;
    this.mode = mode;
    this.trigger = trigger;
    this.element.setAttribute('aria-label', mode === 'context' ? 'Context' : 'Commands');
    this.textbox.setAttribute('aria-controls', this.listId);
    this.render();
  }

  private buildEntries(): Entry[] {
    const query = this.trigger.query.toLowerCase();
    if (this.mode === 'commands') {
      return SLASH_COMMANDS.filter((c) => c.name.startsWith(query)).map((c) => ({ label: `/${c.name}`, detail: c.description, pick: () => this.replaceTrigger(`/${c.name} `) }));
    }
    const specials = SPECIAL_OPTIONS.filter((o) => o.label.startsWith(query));
    return [...specials, ...this.files].map((option) => ({
      label: option.label,
      detail: option.detail ?? (option.kind === 'folder' ? 'folder' : undefined),
      pick: () => {
        this.replaceTrigger('');
        this.actions.pickContext(option);
      },
    }));
  }

  private render(): void {
    this.entries = this.buildEntries();
    if (this.entries.length === 0 && this.mode === 'commands') return this.close();
    this.active = Math.min(this.active, Math.max(0, this.entries.length - 1));
    const items = this.entries.map((entry, index) => {
      const item = h('li', { id: `${this.listId}-${index}`, role: 'option', class: 'context-option', 'aria-selected': String(index === this.active) },
        h('span', { class: 'context-option-label' }, entry.label),
        entry.detail ? h('span', { class: 'context-option-detail' }, ` ${entry.detail}`) : null);
      item.addEventListener('click', () => this.pick(index));
      return item;
    });
    if (items.length === 0) items.push(h('li', { class: 'context-option-empty', role: 'option', 'aria-disabled': 'true', 'aria-selected': 'false' }, 'No matching files'));
    this.element.replaceChildren(...items);
    this.element.hidden = false;
    this.highlight();
  }

  private highlight(): void {
    const options = Array.from(this.element.querySelectorAll<HTMLElement>('.context-option'));
    options.forEach((option, index) => option.setAttribute('aria-selected', String(index === this.active)));
    const current = options[this.active];
    if (current) {
      this.textbox.setAttribute('aria-activedescendant', current.id);
      current.scrollIntoView({ block: 'nearest' });
    } else {
      this.textbox.removeAttribute('aria-activedescendant');
    }
  }

  private pick(index: number): void {
    const entry = this.entries[index];
    if (!entry) return;
    this.close();
    entry.pick();
  }

  private replaceTrigger(replacement: string): void {
    const value = this.textbox.value;
    const { start, end } = this.trigger;
    this.textbox.value = value.slice(0, start) + replacement + value.slice(end);
    const caret = start + replacement.length;
    this.textbox.setSelectionRange(caret, caret);
    // Let the composer save the draft and update Send; update() then finds no trigger and stays closed.
    this.textbox.dispatchEvent(new Event('input', { bubbles: true }));
  }

  private onKeyDown(event: KeyboardEvent): void {
    if (!this.mode || event.target !== this.textbox || event.isComposing) return;
    const count = this.entries.length;
    const handled = (): void => {
      event.preventDefault();
      event.stopPropagation();
    };
    switch (event.key) {
      case 'ArrowDown':
        handled();
        if (count) this.active = (this.active + 1) % count;
        this.highlight();
        break;
      case 'ArrowUp':
        handled();
        if (count) this.active = (this.active - 1 + count) % count;
        this.highlight();
        break;
      case 'Enter':
      case 'Tab':
        if (event.shiftKey || count === 0) {
          if (event.key === 'Enter' && count === 0) { handled(); this.close(); }
          return;
        }
        handled();
        this.pick(this.active);
        break;
      case 'Escape':
        handled();
        this.close();
        break;
    }
  }
}
