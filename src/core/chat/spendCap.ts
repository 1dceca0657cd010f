// The optional per-conversation spend cap (aimlChat.spendCapUsd). The gateway reports what each
// answer cost (meta.usage.usd_spent) only after the fact, so the check before a request uses an
// estimate: the larger of what recent answers in this conversation cost and a token-based guess
// from public list prices. It errs high on purpose: asking once too often beats overspending.
import { isImageRefBlock, type ConversationTotals, type StoredMessage } from '../../shared/model';

/** USD per million tokens (input, output) by model family, from Anthropic's public list prices. */
const listPrices: Record<string, { input: number; output: number }> = {
  opus: { input: 15, output: 75 },
  sonnet: { input: 3, output: 15 },
  haiku: { input: 1, output: 5 },
};

/** Output tokens assumed for the estimate: a typical answer, not max_tokens (which would always trip the cap). */
const TYPICAL_OUTPUT_TOKENS = 1000;
const CHARS_PER_TOKEN = 4;

export function familyOfModel(model: string): 'opus' | 'sonnet' | 'haiku' {
  if (/haiku/i.test(model)) return 'haiku';
  if (/opus/i.test(model)) return 'opus';
  return 'sonnet';
}

export interface SpendEstimateInput {
  model: string;
  /** Characters that will be sent (history + new prompt); images count roughly via their size. */
  inputChars: number;
  messages: StoredMessage[];
}

export function estimateNextRequestUsd(input: SpendEstimateInput): number {
  const price = listPrices[familyOfModel(input.model)];
  const byTokens = ((input.inputChars / CHARS_PER_TOKEN) * price.input + TYPICAL_OUTPUT_TOKENS * price.output) / 1_000_000;
  const recent = input.messages.filter((m) => m.role === 'assistant' && typeof m.usdSpent === 'number').slice(-3).map((m) => m.usdSpent as number);
  const byHistory = recent.length > 0 ? Math.max(...recent) : 0;
  return Math.max(byTokens, byHistory);
}

export type SpendCheck =
  | { kind: 'ok' }
  | { kind: 'confirm'; spentUsd: number; estimateUsd: number; capUsd: number; message: string };

export function checkSpendCap(totals: ConversationTotals, capUsd: number | null | undefined, estimateUsd: number): SpendCheck {
  if (capUsd === null || capUsd === undefined || !Number.isFinite(capUsd)) return { kind: 'ok' };
  const spent = totals.usdSpent ?? 0;
  if (spent + estimateUsd <= capUsd) return { kind: 'ok' };
  const message = spent >= capUsd
    ? `This conversation has cost ${formatUsd(spent)}, past your spend cap of ${formatUsd(capUsd)}. Send anyway (about ${formatUsd(estimateUsd)} more)?`
    : `This conversation has cost ${formatUsd(spent)}. The next answer (about ${formatUsd(estimateUsd)}) may take it past your spend cap of ${formatUsd(capUsd)}. Send anyway?`;
  return { kind: 'confirm', spentUsd: spent, estimateUsd, capUsd, message };
}

export function formatUsd(value: number): string {
  if (value > 0 && value < 0.01) return `$${value.toFixed(4)}`;
  return `$${value.toFixed(2)}`;
}

/** Approximate request size for the estimate, without loading image files. */
export function approximateInputChars(messages: StoredMessage[], system: string): number {
  let chars = system.length;
  for (const m of messages) {
    for (const block of m.content) {
      if (isImageRefBlock(block)) chars += 1600 * CHARS_PER_TOKEN; // ~1600 tokens per scaled image
      else chars += JSON.stringify(block).length;
    }
  }
  return chars;
}
