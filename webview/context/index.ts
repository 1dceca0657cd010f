// Context in the chat view, wired onto the composer: the `#`/`/` listboxes, the chips, the
// `Context window` meter and the compaction marker in the transcript. The composer only asks for
// the chips when it sends (Composer.contextProvider); everything else lives here.
import type { Conversation } from '../../src/shared/model';
import type { HostToWebview, WebviewToHost } from '../../src/shared/protocol';
import type { Composer } from '../composer';
import { formatTokens, formatUsd, h } from '../dom';
import { ContextChips } from './chips';
import { ContextMeterView } from './meter';
import { ContextPicker } from './picker';

export interface ContextFeatures {
  /** Handles the context messages; false for any other message. */
  handle(message: HostToWebview): boolean;
  /** Puts the "earlier turns summarised" marker above the first message sent verbatim. */
  markCompaction(log: HTMLElement, conversation: Conversation): void;
}

export function installContext(composer: Composer, post: (message: WebviewToHost) => void): ContextFeatures {
  const textbox = composer.messageBox;
  const meter = new ContextMeterView();
  const chips = new ContextChips(() => meter.setPending(chips.tokens), () => textbox.focus());
  const picker = new ContextPicker(textbox, composer.element, {
    queryFiles: (requestId, query) => post({ type: 'contextQuery', requestId, query }),
    pickContext: (option) => post({ type: 'contextPick', option }),
  });
  const anchor = h('div', { class: 'context-anchor' }, picker.element);
  composer.element.insertBefore(chips.element, textbox);
  composer.element.insertBefore(anchor, textbox);
  const toolbar = composer.element.querySelector('.composer-toolbar');
  toolbar?.insertBefore(meter.element, toolbar.querySelector('.spacer'));

  composer.contextProvider = {
    attached: () => chips.attached(),
    clear: () => chips.clear(),
  };

  return {
    handle(message) {
      switch (message.type) {
        case 'contextOptions': picker.receiveFiles(message.requestId, message.options); return true;
        case 'contextChip': chips.add(message.chip); return true;
        case 'contextError': chips.showNotice(`${message.label}: ${message.message}`); return true;
        case 'contextMeter': meter.set(message.meter); return true;
        case 'instructions': chips.setInstructions(message.files); return true;
        default: return false;
      }
    },
    markCompaction(log, conversation) {
      log.querySelector('.compaction-marker')?.remove();
      const compaction = conversation.compaction;
      const article = compaction ? log.querySelector(`[data-message-id="${CSS.escape(compaction.firstKeptMessageId)}"]`) : null;
      if (!compaction || !article) return;
      const cost = compaction.usdSpent !== undefined ? `, the summary cost ${formatUsd(compaction.usdSpent)}` : '';
      const marker = h('div', { class: 'compaction-marker', role: 'note', 'aria-label': 'Summary begins' },
        `Earlier turns are sent as a summary from here on (about ${formatTokens(compaction.tokensBefore)} → ${formatTokens(compaction.tokensAfter)} tokens${cost}). They stay visible above.`);
      article.parentElement?.insertBefore(marker, article);
    },
  };
}
