// Reads REPLACE/WITH suggestion blocks out of an answer (format in tasks.ts) and turns them into
// edits against the file's current text. Matching is by content, not line numbers: a snippet
// must occur exactly once (after tolerating line-ending and trailing-space differences), else the
// suggestion is reported as not applicable instead of guessing.

export interface Suggestion {
  original: string;
  replacement: string;
  /** 1-based line in the answer where the REPLACE: marker is, for messages. */
  answerLine: number;
}

export interface SuggestionEdit {
  /** Offsets into the file text (UTF-16), end exclusive. */
  start: number;
  end: number;
  original: string;
  replacement: string;
}

export interface RejectedSuggestion {
  suggestion: Suggestion;
  reason: string;
}

export interface SuggestionPlan {
  edits: SuggestionEdit[];
  rejected: RejectedSuggestion[];
  /** The file text with every accepted edit applied. */
  proposedText: string;
}

const MARKER = (word: string) => new RegExp(`^\\s*(?:\\*\\*|__)?${word}:?(?:\\*\\*|__)?:?\\s*$`, 'i');
const REPLACE_MARKER = MARKER('REPLACE');
const WITH_MARKER = MARKER('WITH');
/** A fence line: three or more backticks or tildes, then an info string without backticks. */
const FENCE_OPEN = /^\s*(`{3,}|~{3,})[^`]*$/;

interface Fenced { body: string; nextLine: number }

/** Reads a fenced block starting at or after `from` (blank lines allowed before it). */
function readFence(lines: string[], from: number): Fenced | undefined {
  let i = from;
  while (i < lines.length && !lines[i].trim()) i++;
  const open = lines[i]?.match(FENCE_OPEN);
  if (!open) return undefined;
  const fence = open[1];
  const closing = new RegExp(`^\\s*${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`);
  const body: string[] = [];
  // Stryker disable next-line EqualityOperator: one more turn reads undefined, which no closing fence matches, and ends unclosed all the same
  for (let j = i + 1; j < lines.length; j++) {
    if (closing.test(lines[j])) return { body: body.join('\n'), nextLine: j + 1 };
    body.push(lines[j]);
  }
  return undefined; // Unclosed: the answer was probably cut off (max_tokens).
}

export function extractSuggestions(answer: string): Suggestion[] {
  const lines = answer.split(/\r?\n/);
  const found: Suggestion[] = [];
  // Stryker disable next-line EqualityOperator: one more turn reads undefined, which is no REPLACE marker
  for (let i = 0; i < lines.length; i++) {
    if (!REPLACE_MARKER.test(lines[i])) continue;
    const original = readFence(lines, i + 1);
    if (!original) continue;
    let j = original.nextLine;
    while (j < lines.length && !lines[j].trim()) j++;
    // Stryker disable next-line StringLiteral: past the last line, any text without the WITH marker skips the same way
    if (!WITH_MARKER.test(lines[j] ?? '')) continue;
    const replacement = readFence(lines, j + 1);
    if (!replacement) continue;
    if (original.body.trim()) found.push({ original: original.body, replacement: replacement.body, answerLine: i + 1 });
    i = replacement.nextLine - 1;
  }
  return found;
}

/** All start offsets of `needle` in `haystack`. */
function occurrences(haystack: string, needle: string): number[] {
  const at: number[] = [];
  for (let i = haystack.indexOf(needle); i !== -1; i = haystack.indexOf(needle, i + 1)) at.push(i);
  return at;
}

/**
 * Finds the snippet in the text: exactly first, then line by line ignoring trailing whitespace
 * (models drop trailing spaces and the file may use CRLF). Returns the span of whole lines.
 */
function locate(text: string, snippet: string): { start: number; end: number } | 'missing' | 'ambiguous' {
  const exact = occurrences(text, snippet);
  if (exact.length > 0) return exact.length === 1 ? { start: exact[0], end: exact[0] + snippet.length } : 'ambiguous';

  const want = snippet.split(/\r?\n/).map((l) => l.trimEnd());
  while (want.length && !want[want.length - 1]) want.pop();
  while (want.length && !want[0]) want.shift();
  if (!want.length) return 'missing';
  const lineStarts: number[] = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  // The last line has no next start: slice() then reads to the end. A line holds one break, at its end.
  // Stryker disable next-line Regex: a line holds at most one break, at its end
  const lineAt = (n: number) => text.slice(lineStarts[n], lineStarts[n + 1]).replace(/\r?\n$/, '');
  const matches: number[] = [];
  for (let n = 0; n + want.length <= lineStarts.length; n++) {
    let ok = true;
    for (let k = 0; k < want.length && ok; k++) ok = lineAt(n + k).trimEnd() === want[k];
    if (ok) matches.push(n);
  }
  if (matches.length === 0) return 'missing';
  if (matches.length > 1) return 'ambiguous';
  const first = matches[0];
  const lastLine = first + want.length - 1;
  const end = lineStarts[lastLine] + lineAt(lastLine).length;
  return { start: lineStarts[first], end };
}

/** Matches suggestions against `text` and applies the ones that are unambiguous and disjoint. */
export function planSuggestions(text: string, suggestions: readonly Suggestion[]): SuggestionPlan {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const edits: SuggestionEdit[] = [];
  const rejected: RejectedSuggestion[] = [];
  for (const suggestion of suggestions) {
    const where = locate(text, suggestion.original);
    if (where === 'missing') { rejected.push({ suggestion, reason: 'the original snippet is not in the file (it may have changed)' }); continue; }
    if (where === 'ambiguous') { rejected.push({ suggestion, reason: 'the original snippet occurs more than once in the file' }); continue; }
    if (edits.some((e) => where.start < e.end && e.start < where.end)) { rejected.push({ suggestion, reason: 'it overlaps an earlier suggestion' }); continue; }
    const replacement = suggestion.replacement.split(/\r?\n/).join(eol);
    edits.push({ start: where.start, end: where.end, original: text.slice(where.start, where.end), replacement });
  }
  edits.sort((a, b) => a.start - b.start);
  let proposed = '';
  let cursor = 0;
  for (const edit of edits) {
    // Deleting whole lines: also drop the line break that followed them.
    if (!edit.replacement && text.startsWith(eol, edit.end)) edit.end += eol.length;
    proposed += text.slice(cursor, edit.start) + edit.replacement;
    cursor = edit.end;
  }
  proposed += text.slice(cursor);
  return { edits, rejected, proposedText: proposed };
}
