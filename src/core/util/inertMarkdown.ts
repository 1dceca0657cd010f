// Makes model-written markdown inert for VS Code's markdown preview, which renders raw HTML and
// loads `https:` images by default: a batch report must not fetch anything (tracking pixels, a
// hostile gateway or model). Same treatment as the chat view: images become links
// (`[Image: alt](url)`), and no raw HTML survives. Fenced code is left as written.
//
// Why a scanner rather than a parser: markdown-it would double the extension bundle. The rules
// are chosen so that a mistake in telling code from prose can only cost looks, never safety:
// - every `![` becomes `[Image: ` (also inside inline code: cosmetic at worst);
// - every `<` that could open a tag, comment or autolink is backslash-escaped, so no HTML block
//   or inline tag can start. Only inside an inline code span on one line is a bare `<name>`
//   without attributes kept (`Array<string>`): even if that span were misjudged, a tag without
//   attributes loads nothing, and a `<` after a backtick cannot start an HTML block.
// - a fence left open is closed, so the next section of the report cannot be swallowed.

const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const TAG_START = /[A-Za-z/!?]/;
/** Tags that are dangerous even without attributes (their content is CSS, script or a sub-document). */
const NEVER_BARE = new Set(['style', 'script', 'svg', 'math', 'template', 'noscript', 'iframe', 'object', 'embed', 'link', 'meta', 'base', 'xmp', 'plaintext', 'textarea', 'title', 'frameset']);

export function inertMarkdown(markdown: string): string {
  const out: string[] = [];
  let fence: string | undefined;
  for (const line of markdown.split(/\r?\n/)) {
    const match = FENCE.exec(line);
    if (fence) {
      out.push(line);
      if (match && match[1][0] === fence[0] && match[1].length >= fence.length && match[2].trim() === '') fence = undefined;
      continue;
    }
    if (match && !(match[1][0] === '`' && match[2].includes('`'))) {
      fence = match[1];
      out.push(line);
      continue;
    }
    out.push(inertLine(line));
  }
  if (fence) out.push(fence);
  return out.join('\n');
}

/** One line outside fenced code. */
function inertLine(line: string): string {
  const spans = codeSpans(line);
  let result = '';
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    const span = spans.find(([start, end]) => i >= start && i < end);
    if (char === '\\' && !span) {
      // A backslash escape outside code: keep the pair as it is (an escaped `!` or `<` is text).
      result += line.slice(i, i + 2);
      i++;
      continue;
    }
    if (char === '!' && line[i + 1] === '[') {
      result += '[Image: ';
      i++;
      continue;
    }
    if (char === '<' && TAG_START.test(line[i + 1] ?? '') && !(span && isBareTag(line, i))) {
      result += '\\<';
      continue;
    }
    result += char;
  }
  return result;
}

/** `<name>` or `</name>` with nothing else inside, and not one of the tags that are never safe. */
function isBareTag(line: string, at: number): boolean {
  const match = /^<\/?([A-Za-z][A-Za-z0-9-]*)>/.exec(line.slice(at));
  return Boolean(match && !NEVER_BARE.has(match[1].toLowerCase()));
}

/** Inline code spans that open and close on this line: [start, end) of each, backticks included. */
function codeSpans(line: string): Array<[number, number]> {
  // Stryker disable next-line ArrayDeclaration: a made-up first entry holds no numbers, so no index is ever inside it
  const spans: Array<[number, number]> = [];
  let i = 0;
  // Stryker disable next-line EqualityOperator: one more turn reads undefined, which is neither a backslash nor a backtick
  while (i < line.length) {
    if (line[i] === '\\') { i += 2; continue; }
    if (line[i] !== '`') { i++; continue; }
    let run = 1;
    while (line[i + run] === '`') run++;
    const closer = findRun(line, i + run, run);
    if (closer === -1) { i += run; continue; }
    spans.push([i, closer + run]);
    i = closer + run;
  }
  return spans;
}

function findRun(line: string, from: number, length: number): number {
  // Stryker disable next-line EqualityOperator: one more turn reads undefined, which is no backtick
  for (let i = from; i < line.length; i++) {
    if (line[i] !== '`') continue;
    let run = 1;
    while (line[i + run] === '`') run++;
    if (run === length) return i;
    i += run - 1;
  }
  return -1;
}
