// The message box: Enter sends, Shift+Enter adds a line, Up in an empty box recalls the last
// prompt. Send turns into Stop while an answer streams. The draft is persisted on every edit so
// a reload of the view (or a failed send) never loses what the user typed.
import type { ContextAttachment } from '../src/shared/context';
import type { ChatMode, ModelInfo } from '../src/shared/model';
import type { WebviewToHost } from '../src/shared/protocol';
import { AttachmentTray } from './attachments';
import { h, icon, iconButton } from './dom';
import { mergeRestoredPrompt } from './restoredPrompt';
import { modeField, modeOf, modeSelect } from './planMode';

type Post = (message: WebviewToHost) => void;

export class Composer {
  readonly element: HTMLElement;
  readonly tray: AttachmentTray;
  private readonly textbox: HTMLTextAreaElement;
  private readonly sendButton: HTMLButtonElement;
  private readonly stopButton: HTMLButtonElement;
  private readonly modelSelect: HTMLSelectElement;
  private readonly modeSelect: HTMLSelectElement;
  private busy = false;
  private lastPrompt = '';
  /** The context chips (webview/context): sent with the prompt, cleared after. */
  contextProvider: { attached(): ContextAttachment[]; clear(): void } | undefined;

  constructor(private readonly post: Post, private readonly onDraftChange: (draft: string) => void, private readonly mode: { initial: ChatMode; changed(mode: ChatMode): void }) {
    this.textbox = h('textarea', { class: 'message-input', 'aria-label': 'Message', placeholder: 'Ask about your code…', rows: 3 });
    this.textbox.addEventListener('keydown', (event) => this.onKeyDown(event));
    this.textbox.addEventListener('input', () => { this.onDraftChange(this.textbox.value); this.updateSendState(); });
    this.sendButton = iconButton('Send', 'send', () => this.send(), { className: 'primary send-button' });
    this.stopButton = iconButton('Stop', 'debug-stop', () => this.post({ type: 'stop' }), { className: 'secondary stop-button' });
    this.stopButton.hidden = true;
    this.modelSelect = h('select', { class: 'model-select', 'aria-label': 'Model', title: 'Model' });
    this.modelSelect.addEventListener('change', () => this.post({ type: 'selectModel', model: this.modelSelect.value }));
    this.modeSelect = modeSelect(mode.initial, mode.changed);
    // The tray reports its (empty) state from its own constructor, before `this.tray` is set.
    this.tray = new AttachmentTray(() => { if (this.tray) this.updateSendState(); });
    const attachButton = iconButton('Attach image', 'file-media', () => this.post({ type: 'pickImage' }));
    this.element = h('div', { class: 'composer' },
      this.tray.element,
      this.textbox,
      h('div', { class: 'composer-toolbar' },
        attachButton,
        h('label', { class: 'model-picker' }, icon('sparkle'), this.modelSelect),
        this.modeSelect,
        h('span', { class: 'spacer' }),
        this.sendButton,
        this.stopButton));
    this.updateSendState();
  }

  /** The Message textbox (paste target for images). */
  get messageBox(): HTMLTextAreaElement {
    return this.textbox;
  }

  get text(): string {
    return this.textbox.value;
  }

  setText(text: string): void {
    this.textbox.value = text;
    this.textbox.setSelectionRange(text.length, text.length);
    this.onDraftChange(text);
    this.updateSendState();
  }

  /** Puts a prompt that could not be sent back, keeping anything typed since. */
  restorePrompt(text: string, focus = true): void {
    this.setText(mergeRestoredPrompt(this.textbox.value, text));
    if (focus) this.focus();
  }

  rememberPrompt(text: string): void {
    if (text.trim()) this.lastPrompt = text;
  }

  focus(): void {
    this.textbox.focus();
  }

  setBusy(busy: boolean): void {
    if (this.busy === busy) return;
    const hadFocus = document.activeElement === this.sendButton || document.activeElement === this.stopButton;
    this.busy = busy;
    this.sendButton.hidden = busy;
    this.stopButton.hidden = !busy;
    // Send -> Stop keeps focus on Stop; once the answer ends (Stop pressed, or done) the next
    // thing to do is type, so focus goes back to the Message box.
    if (hadFocus) (busy ? this.stopButton : this.textbox).focus();
    this.updateSendState();
  }

  setModels(models: ModelInfo[], current: string): void {
    const options = models.map((model) => h('option', { value: model.id }, model.label));
    if (!models.some((model) => model.id === current)) options.unshift(h('option', { value: current }, current));
    this.modelSelect.replaceChildren(...options);
    this.modelSelect.value = current;
  }

  setModel(current: string): void {
    if (!Array.from(this.modelSelect.options).some((option) => option.value === current)) {
      this.modelSelect.append(h('option', { value: current }, current));
    }
    this.modelSelect.value = current;
  }

  /** Switches the `Mode` control (remembered) and sends `text` in that mode, e.g. `Act on this plan`. */
  sendInMode(text: string, mode: ChatMode): void {
    this.modeSelect.value = mode;
    this.mode.changed(mode);
    this.post({ type: 'send', text, attachments: [], ...modeField(mode) });
    this.rememberPrompt(text);
    this.focus();
  }

  private canSend(): boolean {
    return !this.busy && (this.textbox.value.trim() !== '' || this.tray.list().length > 0);
  }

  private updateSendState(): void {
    // aria-disabled rather than disabled: the button stays focusable and discoverable.
    this.sendButton.setAttribute('aria-disabled', String(!this.canSend()));
  }

  private send(): void {
    if (!this.canSend()) return;
    const text = this.textbox.value;
    const context = this.contextProvider?.attached() ?? [];
    this.post({ type: 'send', text, attachments: this.tray.list(), ...(context.length ? { context } : {}), ...modeField(modeOf(this.modeSelect.value)) });
    this.rememberPrompt(text);
    this.tray.clear();
    this.contextProvider?.clear();
    this.setText('');
    // Sent with the Send button: back to the Message box for the next prompt.
    this.focus();
  }

  private onKeyDown(event: KeyboardEvent): void {
    if (event.isComposing) return;
    if (event.key === 'Enter' && !event.shiftKey && !event.ctrlKey && !event.altKey && !event.metaKey) {
      event.preventDefault();
      this.send();
    } else if (event.key === 'ArrowUp' && this.textbox.value === '' && this.lastPrompt) {
      event.preventDefault();
      this.setText(this.lastPrompt);
    }
  }
}
