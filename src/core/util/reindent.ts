// Insert at cursor: a code block from the chat is re-indented to where it lands. The first line
// goes at the cursor; every later line gets the cursor line's indentation; the block's own common
// indentation is removed first, and what remains of each line's indentation is written with the
// editor's tabs-or-spaces setting. Pure, so the rules are unit-tested without VS Code.

export interface IndentOptions {
  insertSpaces: boolean;
  tabSize: number;
}

/** Width in columns of a run of spaces and tabs (a tab advances to the next tab stop). */
export function indentWidth(whitespace: string, tabSize: number): number {
  let column = 0;
  for (const char of whitespace) column = char === '\t' ? column + tabSize - (column % tabSize) : column + 1;
  return column;
}

/** Indentation `width` columns wide, in tabs (then spaces for the rest) or spaces only. */
export function makeIndent(width: number, options: IndentOptions): string {
  if (options.insertSpaces || options.tabSize <= 0) return ' '.repeat(width);
  return '\t'.repeat(Math.floor(width / options.tabSize)) + ' '.repeat(width % options.tabSize);
}

/**
 * The indentation that later lines get: the leading whitespace of the cursor's line, but never
 * more than what is left of the cursor (the cursor may sit inside the indentation).
 */
export function cursorIndent(lineText: string, cursorColumn: number): string {
  return leadingIndent(lineText.slice(0, cursorColumn));
}

/** The spaces and tabs a line starts with (all of it when the line is nothing else). */
function leadingIndent(text: string): string {
  return text.slice(0, text.search(/[^ \t]|$/));
}

/**
 * `code` re-indented for insertion at a cursor whose line is indented by `baseIndent`. Blank lines
 * stay empty (no trailing whitespace); one trailing newline of the block is dropped so the cursor
 * ends after the code, not on a new line; CRLF line ends are kept as LF (the editor normalises).
 */
export function reindentForInsertion(code: string, baseIndent: string, options: IndentOptions): string {
  const lines = code.replace(/\r\n?/g, '\n').replace(/\n$/, '').split('\n');
  const indents = lines.map(leadingIndent);
  const widths = lines.map((line, index) => (line.trim() ? indentWidth(indents[index], options.tabSize) : Infinity));
  // Infinity when every line is blank; then no line below reads it.
  const shared = Math.min(...widths);
  return lines.map((line, index) => {
    if (!line.trim()) return '';
    const relative = makeIndent(widths[index] - shared, options) + line.slice(indents[index].length);
    return index === 0 ? relative : baseIndent + relative;
  }).join('\n');
}
