// A rough cost figure for the confirmation before a batch is sent. Prices are Anthropic's list
// prices per million tokens; the gateway bills its own rates, so the text says "about" and names
// the source. Batches are billed at half the normal price.

interface Price { input: number; output: number }

const PRICES: Array<{ pattern: RegExp; price: Price }> = [
  { pattern: /opus-4(?:[-.][01])?(?:-\d{8}|-latest)?$/, price: { input: 15, output: 75 } },
  { pattern: /opus-4[-.][5-9]/, price: { input: 5, output: 25 } },
  { pattern: /sonnet-4/, price: { input: 3, output: 15 } },
  { pattern: /haiku-4/, price: { input: 1, output: 5 } },
];

export const BATCH_DISCOUNT = 0.5;

export function listPrice(model: string): Price | undefined {
  return PRICES.find((p) => p.pattern.test(model))?.price;
}

export interface CostEstimate {
  inputTokens: number;
  maxOutputTokens: number;
  /** Batch price of the input plus the most the output could cost, in USD; undefined for an unknown model. */
  maxUsd?: number;
}

export function estimateCost(model: string, inputTokens: number, maxOutputTokens: number): CostEstimate {
  const price = listPrice(model);
  if (!price) return { inputTokens, maxOutputTokens };
  const full = (inputTokens * price.input + maxOutputTokens * price.output) / 1_000_000;
  return { inputTokens, maxOutputTokens, maxUsd: full * BATCH_DISCOUNT };
}

/** e.g. "≈ 12k input tokens, at most 24k output tokens; at most about $0.40 at batch prices (half the normal rate)". */
export function describeEstimate(estimate: CostEstimate): string {
  const tokens = `≈ ${compact(estimate.inputTokens)} input tokens, at most ${compact(estimate.maxOutputTokens)} output tokens`;
  if (estimate.maxUsd === undefined) return `${tokens}. Batches cost half the normal price.`;
  return `${tokens}; at most about $${Math.max(0.01, estimate.maxUsd).toFixed(2)} at Anthropic's list prices (batches cost half the normal price; the gateway's rates may differ).`;
}

function compact(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0)}k`;
  return `${(n / 1_000_000).toFixed(1)}M`;
}
