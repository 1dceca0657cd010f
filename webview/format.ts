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

/** Length of the summary a finished answer is announced with. */
export const summaryLength = 200;

const collapseWhitespace = (text: string) => text.replace(/\s+/g, ' ').trim();

/** The first ~200 characters of a rendered answer, whitespace collapsed, cut at a word. */
export function summarize(text: string, limit = summaryLength): string {
  // Collapsed from a prefix, grown until it gives more than `limit` characters: the whole of a
  // 200 KB answer cost ~14 ms at the end of its stream (issue 15), for 200 characters.
  let end = limit * 4;
  let flat = collapseWhitespace(text.slice(0, end));
  while (flat.length <= limit && end < text.length) {
    end *= 4;
    flat = collapseWhitespace(text.slice(0, end));
  }
  if (flat.length <= limit) return flat;
  const cut = flat.slice(0, limit);
  const lastSpace = cut.lastIndexOf(' ');
  return `${(lastSpace > limit / 2 ? cut.slice(0, lastSpace) : cut).trimEnd()}…`;
}
