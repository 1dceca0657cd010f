// What the extension has spent through the gateway since it started, across its front ends (the
// chat view, the language-model provider, the @aiml participant). Each answer's cost is the
// gateway's own figure (meta.usage.usd_spent); token counts are kept beside it so an answer from a
// gateway that reports no cost still shows what it used.
import type { ApiMessage } from '../api/types';
import { formatUsd } from '../chat/spendCap';
import type { StoredMessage } from '../../shared/model';

export type SpendSource = 'chat' | 'languageModel' | 'participant';

export interface SpendEntry {
  source: SpendSource;
  model: string;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  /** undefined when the gateway reported no cost. */
  usd?: number;
  at: number;
}

export interface SpendTotals { requests: number; inputTokens: number; outputTokens: number; usd: number }

/** The entry of one finished (or broken-off) answer. */
export function spendEntryOf(source: SpendSource, message: Pick<ApiMessage, 'model' | 'usage' | 'meta'>, at: number): SpendEntry {
  const usd = message.meta?.usage?.usd_spent;
  return {
    source,
    model: message.model,
    inputTokens: message.usage?.input_tokens ?? 0,
    outputTokens: message.usage?.output_tokens ?? 0,
    cacheReadTokens: message.usage?.cache_read_input_tokens ?? 0,
    cacheWriteTokens: message.usage?.cache_creation_input_tokens ?? 0,
    ...(typeof usd === 'number' && Number.isFinite(usd) && usd >= 0 ? { usd } : {}),
    at,
  };
}

/**
 * The entry of an answer a chat session finished (the chat view, @aiml): undefined for a user
 * message or an answer that never reached the gateway (no usage).
 */
export function spendEntryOfAnswer(source: SpendSource, message: Pick<StoredMessage, 'role' | 'model' | 'usage' | 'usdSpent'>, fallbackModel: string, at: number): SpendEntry | undefined {
  if (message.role !== 'assistant' || !message.usage) return undefined;
  return spendEntryOf(source, { model: message.model ?? fallbackModel, usage: message.usage, meta: { usage: { usd_spent: message.usdSpent } } }, at);
}

/** One line for the output channel, e.g. "claude-sonnet-4-6: 1200 in (800 cached) / 56 out tokens, $0.0042". */
export function describeSpend(entry: SpendEntry): string {
  const cached = entry.cacheReadTokens > 0 ? ` (${entry.cacheReadTokens} cached)` : '';
  const cost = entry.usd === undefined ? 'cost not reported' : formatUsd(entry.usd);
  return `${entry.model}: ${entry.inputTokens} in${cached} / ${entry.outputTokens} out tokens, ${cost}`;
}

export class SpendLedger {
  private readonly entries: SpendEntry[] = [];
  private readonly listeners = new Set<(entry: SpendEntry) => void>();
  private readonly totalsBySource = new Map<SpendSource | 'all', SpendTotals>();

  record(entry: SpendEntry): void {
    this.entries.push(entry);
    if (this.entries.length > 1000) this.entries.shift();
    for (const key of [entry.source, 'all'] as const) {
      const totals = this.totalsBySource.get(key) ?? { requests: 0, inputTokens: 0, outputTokens: 0, usd: 0 };
      totals.requests += 1;
      totals.inputTokens += entry.inputTokens;
      totals.outputTokens += entry.outputTokens;
      totals.usd += entry.usd ?? 0;
      this.totalsBySource.set(key, totals);
    }
    for (const listener of this.listeners) listener(entry);
  }

  /** Totals since activation, of one source or of all. */
  totals(source: SpendSource | 'all' = 'all'): SpendTotals {
    return { ...(this.totalsBySource.get(source) ?? { requests: 0, inputTokens: 0, outputTokens: 0, usd: 0 }) };
  }

  /** The latest entries (at most 1000 are kept), oldest first. */
  recent(): readonly SpendEntry[] {
    return [...this.entries];
  }

  onDidRecord(listener: (entry: SpendEntry) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }
}
