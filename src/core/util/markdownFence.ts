/**
 * Wraps code in a markdown fence that the code cannot close early: one backtick longer than any
 * backtick run inside it (at least three).
 */
export function fencedCodeBlock(code: string, languageId = ''): string {
  const longestRun = Math.max(2, ...Array.from(code.matchAll(/`+/g), (m) => m[0].length));
  const ticks = '`'.repeat(longestRun + 1);
  return `${ticks}${languageId}\n${code}\n${ticks}`;
}
