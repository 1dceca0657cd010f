// Pure edit computation: the new file text for a replace / insert / create request, or a refusal
// that tells the model exactly what it found so the next attempt can succeed. Nothing here writes.
import { quoteLine, splitLines } from './text';

export type EditRequest =
  | { action: 'replace'; oldText: string; newText: string }
  | { action: 'insert'; line: number; newText: string }
  | { action: 'create'; newText: string };

export type EditOutcome = { ok: true; text: string } | { ok: false; message: string };

/** How refusals name parameters and actions, so they match the tool the model called. */
export interface EditVocabulary {
  oldText: string;
  newText: string;
  replace: string;
  create: string;
  insert: string;
}

export const customVocabulary: EditVocabulary = { oldText: 'old_text', newText: 'new_text', replace: 'action "replace"', create: 'action "create"', insert: 'action "insert"' };
export const textEditorVocabulary: EditVocabulary = { oldText: 'old_str', newText: 'new_str', replace: 'the str_replace command', create: 'the create command', insert: 'the insert command' };

export interface EditOptions {
  /** For secret-looking files: refusals do not quote the file's content back. */
  quiet?: boolean;
  vocabulary?: EditVocabulary;
}

function lineOfOffset(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

function occurrences(haystack: string, needle: string): number[] {
  const found: number[] = [];
  for (let i = haystack.indexOf(needle); i !== -1; i = haystack.indexOf(needle, i + 1)) found.push(i);
  return found;
}

/** The file's line ending, so text from the model (always `\n`) can be matched and written in kind. */
export function detectEol(text: string): '\r\n' | '\n' {
  const crlf = text.indexOf('\r\n');
  return crlf !== -1 && (text.indexOf('\n') === crlf + 1) ? '\r\n' : '\n';
}

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

/** Dice coefficient over character bigrams: cheap and good enough to point at the nearest line. */
function similarity(a: string, b: string): number {
  if (a === b) return 1;
  // Stryker disable next-line ConditionalExpression,LogicalOperator: without the guard the formula below gives 0, -0 or NaN for such strings, and none of them beats the starting best score of 0
  if (a.length < 2 || b.length < 2) return 0;
  const grams = new Map<string, number>();
  // Stryker disable next-line EqualityOperator,ArithmeticOperator: running past the last bigram adds one-character and empty keys, which no bigram of b ever looks up
  for (let i = 0; i < a.length - 1; i++) {
    const g = a.slice(i, i + 2);
    grams.set(g, (grams.get(g) ?? 0) + 1);
  }
  let shared = 0;
  // Stryker disable next-line EqualityOperator,ArithmeticOperator: running past the last bigram looks up one-character and empty keys, which a's map never holds
  for (let i = 0; i < b.length - 1; i++) {
    const g = b.slice(i, i + 2);
    const n = grams.get(g) ?? 0;
    if (n > 0) { shared++; grams.set(g, n - 1); }
  }
  return (2 * shared) / (a.length + b.length - 2);
}

function notFoundMessage(text: string, oldText: string, quiet: boolean, words: EditVocabulary): string {
  const head = `${words.oldText} was not found in the file.`;
  if (quiet) return `${head} Read the file again and copy the exact text.`;
  const lines = splitLines(text);
  const wanted = splitLines(oldText).map(squash).filter(Boolean);
  if (wanted.length === 0) return `${head} It contains only whitespace; include the code around the change.`;
  // Same text with different whitespace: point at it and say so.
  const squashedLines = lines.map(squash);
  // Stryker disable next-line EqualityOperator: one index past the end compares undefined with a non-empty line, never a match
  for (let i = 0; i < squashedLines.length; i++) {
    if (wanted.every((w, k) => squashedLines[i + k] === w)) {
      return `${head} It matches at line ${i + 1} only if whitespace is ignored: copy the exact indentation and line breaks from the file (read_file shows it), e.g. line ${i + 1} is ${quoteLine(lines[i])}.`;
    }
  }
  let best = 0;
  let bestScore = 0;
  lines.forEach((line, i) => {
    const score = similarity(squash(line), wanted[0]);
    if (score > bestScore) { bestScore = score; best = i; }
  });
  if (bestScore >= 0.5) return `${head} The closest line to its first line is line ${best + 1}: ${quoteLine(lines[best])}. Read the file again and copy the exact text.`;
  return `${head} No line resembles its first line ${quoteLine(wanted[0])}; the file may have changed: read it again.`;
}

export function computeEdit(current: string | undefined, request: EditRequest, options: EditOptions = {}): EditOutcome {
  const words = options.vocabulary ?? customVocabulary;
  if (request.action === 'create') {
    if (current !== undefined) return { ok: false, message: `The file already exists. Use ${words.replace} to change it.` };
    return { ok: true, text: request.newText };
  }
  if (current === undefined) return { ok: false, message: `The file does not exist. Use ${words.create} to make a new file.` };
  const eol = detectEol(current);
  const inKind = (s: string) => (eol === '\r\n' ? s.replace(/\r?\n/g, '\r\n') : s);

  if (request.action === 'insert') {
    const lines = splitLines(current);
    if (request.line < 0 || request.line > lines.length) return { ok: false, message: `line must be between 0 (top of the file) and ${lines.length} (after the last line); got ${request.line}.` };
    // Insert after line N by character offset so the rest of the file keeps its exact bytes.
    let offset = 0;
    for (let n = 0; n < request.line; n++) {
      const next = current.indexOf('\n', offset);
      offset = next === -1 ? current.length : next + 1;
    }
    const needsBreakBefore = offset === current.length && current.length > 0 && !current.endsWith('\n');
    let inserted = inKind(request.newText);
    if (!inserted.endsWith(eol) && (offset < current.length || current.endsWith('\n'))) inserted += eol;
    if (needsBreakBefore) inserted = eol + inserted;
    return { ok: true, text: current.slice(0, offset) + inserted + current.slice(offset) };
  }

  if (request.oldText === '') return { ok: false, message: `${words.oldText} is empty; give the exact text to replace (use ${words.insert} to add text).` };
  if (request.oldText === request.newText) return { ok: false, message: `${words.oldText} and ${words.newText} are identical; nothing would change.` };
  let needle = request.oldText;
  let found = occurrences(current, needle);
  // LF text from the model in a CRLF file (in an LF file inKind changes nothing and the search repeats).
  if (found.length === 0) {
    needle = inKind(needle);
    found = occurrences(current, needle);
  }
  if (found.length === 0) return { ok: false, message: notFoundMessage(current, request.oldText, options.quiet === true, words) };
  if (found.length > 1) {
    const lines = found.map((o) => lineOfOffset(current, o));
    const shown = lines.length > 10 ? `${lines.slice(0, 10).join(', ')}, …` : lines.join(', ');
    return { ok: false, message: `${words.oldText} occurs ${found.length} times, at lines ${shown}; include more surrounding lines so it matches exactly once.` };
  }
  const replacement = needle === request.oldText ? request.newText : inKind(request.newText);
  return { ok: true, text: current.slice(0, found[0]) + replacement + current.slice(found[0] + needle.length) };
}

/**
 * The smallest single replacement that turns `current` into `next` (common prefix and suffix
 * kept), so an applied edit moves the user's cursors and folds as little as possible.
 * Never splits a CRLF pair: editor positions cannot point between \r and \n.
 */
export function minimalChange(current: string, next: string): { start: number; end: number; text: string } {
  let start = 0;
  // Past the end of the shorter text one side is undefined, so the loop stops there.
  while (start < current.length && current[start] === next[start]) start++;
  let end = current.length;
  let nextEnd = next.length;
  while (end > start && nextEnd > start && current.charCodeAt(end - 1) === next.charCodeAt(nextEnd - 1)) { end--; nextEnd--; }
  // At start 0, current[-1] is undefined; at the end, current[end] is.
  if (current[start - 1] === '\r' && (current[start] === '\n' || next[start] === '\n')) start--;
  if (current[end] === '\n' && current[end - 1] === '\r') { end++; nextEnd++; }
  return { start, end, text: next.slice(start, nextEnd) };
}
