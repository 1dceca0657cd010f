// Incremental detection of "stable boundaries" in a growing markdown source: offsets before which
// the text can be rendered on its own and will never change its rendering, whatever comes next.
// Pure functions over a small state object, so the cost per streamed token is proportional to the
// new text only (each line is scanned once), never to the length of the answer.
//
// A boundary is the start of a line L such that the text before L forms complete top-level blocks:
//  - L follows a blank line (outside any fence), starts in column 0, and does not continue a list
//    (a list marker after a blank line joins the previous list, making it "loose": not safe);
//  - L opens a fenced code block in column 0 (a fence interrupts any paragraph and ends any list);
//  - L follows the closing line of such a column-0 fence.
// Lines are judged only once they are complete (end with \n), so a half-received marker is never
// misread. The rules are conservative: when unsure, no boundary (the tail is just re-rendered).
// A link reference definition (`[x]: url`) applies to the whole document: the renderer handles it
// by rendering such an answer again as a whole when it finishes.

export interface OpenFence {
  /** Offset of the opening fence line. */
  start: number;
  /** Offset just after the opening fence line: where the code starts. */
  contentStart: number;
  language: string;
}

export interface BoundaryState {
  /** Offset of the first line not yet scanned (always a line start). */
  scanPos: number;
  /** The last stable boundary found (0 = none). Never decreases. */
  boundary: number;
  /** Every boundary found, in order; the renderer removes those it has passed. */
  boundaries: number[];
  previousLineBlank: boolean;
  /** A column-0 list marker has been seen since the last boundary. */
  segmentHasList: boolean;
  fence: { char: string; length: number; topLevel: boolean } | null;
  /** Set while a column-0 fence is open: the streaming renderer shows it as plain text. */
  openFence: OpenFence | null;
}

export function createBoundaryState(): BoundaryState {
  return { scanPos: 0, boundary: 0, boundaries: [], previousLineBlank: false, segmentHasList: false, fence: null, openFence: null };
}

const fenceOpener = /^( {0,3})(`{3,}|~{3,})(.*)$/;
const listMarker = /^(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)/;

function leadingIndent(line: string): number {
  let columns = 0;
  for (const char of line) {
    if (char === ' ') columns += 1;
    else if (char === '\t') columns += 4 - (columns % 4);
    else break;
  }
  return columns;
}

function isClosingFence(line: string, fence: { char: string; length: number }): boolean {
  const trimmed = line.replace(/^ {0,3}/, '');
  let count = 0;
  while (trimmed[count] === fence.char) count += 1;
  return count >= fence.length && trimmed.slice(count).trim() === '' && leadingIndent(line) <= 3;
}

/** Scans the complete lines added to `source` since the last call, updating `state` in place. */
export function scanBoundaries(state: BoundaryState, source: string): BoundaryState {
  let lineStart = state.scanPos;
  for (let newline = source.indexOf('\n', lineStart); newline !== -1; newline = source.indexOf('\n', lineStart)) {
    const line = source.slice(lineStart, newline).replace(/\r$/, '');
    scanLine(state, line, lineStart, newline + 1);
    lineStart = newline + 1;
  }
  state.scanPos = lineStart;
  return state;
}

function markBoundary(state: BoundaryState, offset: number): void {
  if (offset > state.boundary) {
    state.boundary = offset;
    state.boundaries.push(offset);
  }
  state.segmentHasList = false;
}

function scanLine(state: BoundaryState, line: string, start: number, next: number): void {
  if (state.fence) {
    if (isClosingFence(line, state.fence)) {
      if (state.fence.topLevel) markBoundary(state, next);
      state.fence = null;
      state.openFence = null;
    }
    state.previousLineBlank = false;
    return;
  }
  if (line.trim() === '') {
    state.previousLineBlank = true;
    return;
  }
  const indent = leadingIndent(line);
  const opener = fenceOpener.exec(line);
  if (opener && !(opener[2][0] === '`' && opener[3].includes('`'))) {
    const topLevel = indent === 0;
    state.fence = { char: opener[2][0], length: opener[2].length, topLevel };
    if (topLevel) {
      markBoundary(state, start);
      state.openFence = { start, contentStart: next, language: opener[3].trim().split(/\s+/)[0] ?? '' };
    }
    state.previousLineBlank = false;
    return;
  }
  const isListItem = indent === 0 && listMarker.test(line);
  if (state.previousLineBlank && indent === 0 && !(isListItem && state.segmentHasList)) markBoundary(state, start);
  if (isListItem) state.segmentHasList = true;
  state.previousLineBlank = false;
}
