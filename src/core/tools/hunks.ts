// Hunks of a proposed edit (for the chat card) and applying a chosen subset of them.
// Built on jsdiff's structuredPatch so the hunks match what a unified diff would show.
import { createTwoFilesPatch, structuredPatch, type StructuredPatchHunk } from 'diff';

export interface HunkSummary {
  index: number;
  header: string;
  preview: string;
}

const PREVIEW_LINES = 40;

export function computeHunks(oldText: string, newText: string): StructuredPatchHunk[] {
  // Stryker disable next-line StringLiteral: the file names go into the patch header, which is not returned
  return structuredPatch('a', 'b', oldText, newText, undefined, undefined, { context: 3 }).hunks;
}

export function summarizeHunks(hunks: StructuredPatchHunk[]): HunkSummary[] {
  return hunks.map((h, index) => {
    const body = h.lines.filter((l) => !l.startsWith('\\'));
    const shown = body.slice(0, PREVIEW_LINES).map((l) => l.replace(/\r$/, ''));
    if (body.length > shown.length) shown.push(`… ${body.length - shown.length} more lines`);
    return { index, header: `@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`, preview: shown.join('\n') };
  });
}

/**
 * The old text with only the accepted hunks applied. Works on lines directly rather than through
 * a patch applier: the hunks come from the same two texts, so positions are exact and no fuzz is
 * wanted. Line endings inside hunk lines are preserved because the lines are sliced from the texts.
 */
export function applyHunks(oldText: string, newText: string, accepted: ReadonlySet<number>): string {
  const hunks = computeHunks(oldText, newText);
  // Shortcuts: the line-by-line copy below gives the same texts when every or no hunk is accepted.
  // Stryker disable next-line ConditionalExpression,ArrowFunction: a shortcut, see above
  if (hunks.every((_, i) => accepted.has(i))) return newText;
  // Stryker disable next-line ConditionalExpression: a shortcut, see above
  if (!hunks.some((_, i) => accepted.has(i))) return oldText;
  const oldLines = linesWithEndings(oldText);
  const newLines = linesWithEndings(newText);
  const out: string[] = [];
  let oldPos = 0; // index into oldLines of the next line not yet copied
  hunks.forEach((h, i) => {
    // Lines are 1-based; with 3 lines of context a side has 0 lines only when that text is empty.
    const oldStart = Math.max(0, h.oldStart - 1);
    const newStart = Math.max(0, h.newStart - 1);
    out.push(...oldLines.slice(oldPos, oldStart));
    out.push(...(accepted.has(i) ? newLines.slice(newStart, newStart + h.newLines) : oldLines.slice(oldStart, oldStart + h.oldLines)));
    oldPos = oldStart + h.oldLines;
  });
  out.push(...oldLines.slice(oldPos));
  return out.join('');
}

function linesWithEndings(text: string): string[] {
  return text.split(/(?<=\n)/);
}

/** A unified diff for messages to the model (what the user changed, what was rejected). */
export function unifiedDiff(name: string, oldText: string, newText: string): string {
  // Stryker disable next-line StringLiteral: the header labels are cut off below
  const patch = createTwoFilesPatch(name, name, oldText, newText, 'proposed', 'applied', { context: 2 });
  // Only the hunks matter to the reader; the file header lines are noise.
  const firstHunk = patch.indexOf('@@');
  // Without hunks the patch is its header, which ends in a line break: slice(-1) keeps only that
  // break and trim() drops it, so '' comes out either way (the `true` variant is killed by the tests).
  // Stryker disable next-line ConditionalExpression,UnaryOperator: see above
  return (firstHunk === -1 ? '' : patch.slice(firstHunk)).trim();
}
