// Numbers as the chat shows them (no DOM here: unit-tested in Node).

/**
 * Token counts with thousands separators ("12,345", as en-US writes them). Whole numbers skip
 * Intl: the first toLocaleString call loads the locale data, tens of ms on opening a conversation.
 */
export function formatTokens(count: number): string {
  if (!Number.isSafeInteger(count)) return count.toLocaleString('en-US');
  return String(count).replace(/\B(?=(\d{3})+$)/g, ',');
}

/** Dollar amounts as the gateway reports them: four decimals so small requests are still visible. */
export function formatUsd(amount: number): string {
  return `$${amount.toFixed(4)}`;
}
