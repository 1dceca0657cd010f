// Pure parts of "Refactor Selection": the request, pulling the replacement out of the answer,
// and keeping track of where the selection is while the user goes on typing.
import { isTextBlock } from '../../shared/model';
import type { ContentBlock, MessagesRequest } from '../api/types';
import { fencedCodeBlock } from '../util/markdownFence';

export const DEFAULT_REFACTOR_INSTRUCTION = 'Improve readability without changing behaviour';
const CONTEXT_CHARS = 4000;

export const REFACTOR_SYSTEM_PROMPT = [
  'You rewrite a selected piece of code inside a file, following the user\'s instruction.',
  'Reply with the replacement for exactly the selected code, in one fenced code block, and nothing else: no explanation, no surrounding code.',
  'Keep the indentation of the first line and the style of the file. Do not change behaviour unless the instruction asks for it.',
].join('\n');

export interface RefactorInput {
  instruction: string;
  fileName: string;
  languageId: string;
  selected: string;
  /** Text before and after the selection (cut to a few KB here). */
  before: string;
  after: string;
}

export function buildRefactorRequest(input: RefactorInput, model: string, maxTokens: number): MessagesRequest {
  // A shorter text is kept whole by slice.
  const before = input.before.slice(-CONTEXT_CHARS);
  const after = input.after.slice(0, CONTEXT_CHARS);
  const parts = [`Instruction: ${input.instruction}`, '', `File: ${input.fileName} (${input.languageId})`, '', 'Selected code to rewrite:', fencedCodeBlock(input.selected, input.languageId)];
  if (before.trim() || after.trim()) {
    parts.push('', 'Surrounding code, for context only (do not repeat it):');
    if (before.trim()) parts.push('Before the selection:', fencedCodeBlock(before, input.languageId));
    if (after.trim()) parts.push('After the selection:', fencedCodeBlock(after, input.languageId));
  }
  parts.push('', 'Answer with the rewritten selection in one fenced code block.');
  return { model, max_tokens: maxTokens, system: REFACTOR_SYSTEM_PROMPT, messages: [{ role: 'user', content: parts.join('\n') }] };
}

/** The text of an answer's text blocks. */
export function answerText(content: ContentBlock[]): string {
  // Stryker disable next-line MethodExpression: no other block type has a text field, and join('') turns their undefined into ''
  return content.filter(isTextBlock).map((b) => b.text).join('');
}

/**
 * The replacement code from an answer: the longest fenced block (``` or ~~~, any fence length),
 * or the whole answer when it has no fence at all. Undefined when there is nothing usable.
 * The trailing line break follows the selection's, so the code around it keeps its layout.
 */
export function extractReplacement(answer: string, selected: string): string | undefined {
  const blocks: string[] = [];
  const fenceRe = /^([ \t]*)(`{3,}|~{3,})[^\n]*\n([\s\S]*?)\n?[ \t]*\2[`~]*[ \t]*$/gm;
  for (const m of answer.matchAll(fenceRe)) blocks.push(m[3]);
  let code: string;
  if (blocks.length) code = blocks.reduce((a, b) => (b.length > a.length ? b : a));
  else if (!/^\s*(`{3,}|~{3,})/m.test(answer) && answer.trim()) code = answer.replace(/^\n+/, '').replace(/\s+$/, '');
  else return undefined;
  if (!code.trim() && selected.trim()) return undefined;
  const selectedEnds = /\r?\n$/.exec(selected)?.[0];
  code = code.replace(/\r?\n$/, '');
  return selectedEnds ? code + selectedEnds : code;
}

export interface TextChange {
  /** Offset in the document before this event's changes. */
  rangeOffset: number;
  rangeLength: number;
  text: string;
}

/**
 * Follows a [start, end) range of a document through its edits. An edit that touches the range
 * marks it stale: the selection the model rewrote no longer exists, so nothing may be applied.
 */
export class RangeTracker {
  stale = false;

  constructor(public start: number, public end: number) {}

  /** One change event's edits; their offsets all refer to the text before the event. */
  apply(changes: readonly TextChange[]): void {
    // From the end backwards, so earlier offsets are not moved by later edits.
    for (const c of [...changes].sort((a, b) => b.rangeOffset - a.rangeOffset)) {
      const changeEnd = c.rangeOffset + c.rangeLength;
      const delta = c.text.length - c.rangeLength;
      if (c.rangeOffset >= this.end) continue; // after the range (typing right after it included)
      if (changeEnd <= this.start) { // before it (typing right before it included): the range moves
        this.start += delta;
        this.end += delta;
        continue;
      }
      this.stale = true;
      // Keep a best-effort range for messages; it is not used once stale.
      this.end = Math.max(this.start, this.end + delta);
    }
  }
}
