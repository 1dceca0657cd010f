// The `Context window` meter: how much of the model's window the next request would use (the
// host's figure plus the chips waiting in the composer). Past the compaction share it turns into
// a warning and says that older turns will be summarised on send.
import { meterPercent, type ContextMeter } from '../../src/shared/context';
import { formatTokens, h } from '../dom';

export class ContextMeterView {
  readonly element: HTMLElement;
  private readonly bar: HTMLElement;
  private readonly label: HTMLElement;
  private meter: ContextMeter | undefined;
  private pendingTokens = 0;

  constructor() {
    this.bar = h('span', { class: 'context-meter-fill' });
    this.label = h('span', { class: 'context-meter-label', 'aria-hidden': 'true' });
    this.element = h('div', { class: 'context-meter', role: 'meter', 'aria-label': 'Context window', 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': 0, hidden: true },
      h('span', { class: 'context-meter-track', 'aria-hidden': 'true' }, this.bar), this.label);
  }

  set(meter: ContextMeter): void {
    this.meter = meter;
    this.render();
  }

  /** Tokens of the chips waiting in the composer (counted as part of the next request). */
  setPending(tokens: number): void {
    this.pendingTokens = tokens;
    this.render();
  }

  private render(): void {
    const meter = this.meter;
    if (!meter) return;
    const used = meter.usedTokens + this.pendingTokens;
    const percent = meterPercent(used, meter.windowTokens);
    const warnAt = meter.compactAtPercent > 0 ? meter.compactAtPercent : 80;
    const warning = percent >= warnAt;
    const text = `${percent}% of ${formatTokens(meter.windowTokens)} tokens (about ${formatTokens(Math.round(used))})`;
    const hint = warning
      ? meter.compactAtPercent > 0 ? 'Older turns will be summarised when you send.' : 'The conversation is close to the limit: use /compact or start a new chat.'
      : '';
    this.element.hidden = false;
    this.element.setAttribute('aria-valuenow', String(percent));
    this.element.setAttribute('aria-valuetext', hint ? `${text}. ${hint}` : text);
    this.element.title = hint ? `Context window: ${text}. ${hint}` : `Context window: ${text}`;
    this.element.classList.toggle('warning', warning);
    this.bar.style.width = `${percent}%`;
    this.label.textContent = `${percent}%`;
  }
}
