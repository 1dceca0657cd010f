// Turning file bytes into text the model may see: binary refusal, size caps, line numbers.

export const MAX_READ_BYTES = 256 * 1024;
export const MAX_READ_LINES = 2000;
export const MAX_LINE_CHARS = 2000;
const SNIFF_BYTES = 8192;

export type DecodeResult = { ok: true; text: string } | { ok: false; reason: string };

/** Text from bytes, or a refusal for binary content (NUL bytes, invalid UTF-8). A UTF-8 BOM is dropped. */
export function decodeText(bytes: Uint8Array): DecodeResult {
  const head = bytes.subarray(0, SNIFF_BYTES);
  if (head.includes(0)) return { ok: false, reason: `binary file (${bytes.length} bytes, contains NUL bytes); not shown` };
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
    return { ok: true, text };
  } catch {
    return { ok: false, reason: `binary or non-UTF-8 file (${bytes.length} bytes); not shown` };
  }
}

/** Splits keeping no terminators; a final newline does not make an extra empty line. */
export function splitLines(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export interface NumberedView {
  text: string;
  firstLine: number;
  lastLine: number;
  totalLines: number;
  truncated: boolean;
}

/**
 * Lines `start..end` (1-based, inclusive) numbered like `cat -n`, capped by lines and bytes.
 * A cap never cuts a line in half: the view stops before the line that would cross it.
 */
export function numberedView(text: string, start = 1, end?: number): NumberedView {
  const lines = splitLines(text);
  const totalLines = lines.length;
  const first = Math.max(1, start);
  const wantedLast = Math.min(end === undefined || end < 0 ? totalLines : end, totalLines);
  const out: string[] = [];
  let bytes = 0;
  let last = first - 1;
  for (let n = first; n <= wantedLast; n++) {
    if (out.length >= MAX_READ_LINES) break;
    let line = lines[n - 1];
    if (line.length > MAX_LINE_CHARS) line = `${line.slice(0, MAX_LINE_CHARS)} … [line cut at ${MAX_LINE_CHARS} of ${line.length} characters]`;
    const rendered = `${String(n).padStart(6)}\t${line}`;
    bytes += Buffer.byteLength(rendered) + 1;
    if (bytes > MAX_READ_BYTES) {
      // Stryker disable next-line ConditionalExpression,EqualityOperator: a line is cut at 2,000 characters (at most about 8 KB), so the first line alone never crosses 256 KB; the guard keeps a view from coming back empty should those limits change.
      if (out.length > 0) break;
    }
    out.push(rendered);
    last = n;
  }
  return { text: out.join('\n'), firstLine: first, lastLine: last, totalLines, truncated: last < wantedLast };
}

/** A short quoted preview of a line for messages to the model. */
export function quoteLine(line: string, max = 160): string {
  const trimmed = line.length > max ? `${line.slice(0, max)}…` : line;
  return JSON.stringify(trimmed);
}
