// Parses the JSON-lines results file. One bad line must not lose the other answers, so each
// line is parsed on its own and failures are collected as problems with their line number.
import { isTextBlock } from '../../shared/model';
import { BatchResultLine, errorText, type BatchResultLine as ResultLine, type ResultMessage } from './schemas';

export type ResultOutcome =
  | { customId: string; type: 'succeeded'; text: string; stopReason?: string | null; message: ResultMessage }
  | { customId: string; type: 'errored'; reason: string }
  | { customId: string; type: 'canceled'; reason: string }
  | { customId: string; type: 'expired'; reason: string };

export interface MalformedLine {
  line: number;
  reason: string;
  /** The start of the raw line, for the report. */
  excerpt: string;
}

export interface ParsedResults {
  outcomes: ResultOutcome[];
  malformed: MalformedLine[];
}

export function parseResultLines(text: string): ParsedResults {
  const outcomes: ResultOutcome[] = [];
  const malformed: MalformedLine[] = [];
  // trim() also drops a byte-order mark at the start of the text (or of any line).
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (!line) return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      malformed.push({ line: index + 1, reason: 'not valid JSON', excerpt: line.slice(0, 120) });
      return;
    }
    const parsed = BatchResultLine.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]; // a failed parse has at least one
      const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
      malformed.push({ line: index + 1, reason: `unexpected shape (${where}${issue.message})`, excerpt: line.slice(0, 120) });
      return;
    }
    outcomes.push(toOutcome(parsed.data));
  });
  return { outcomes, malformed };
}

function toOutcome(line: ResultLine): ResultOutcome {
  const customId = line.custom_id;
  const result = line.result;
  switch (result.type) {
    case 'succeeded':
      return { customId, type: 'succeeded', text: messageText(result.message), stopReason: result.message.stop_reason, message: result.message };
    case 'errored':
      return { customId, type: 'errored', reason: errorText(result.error) };
    case 'canceled':
      return { customId, type: 'canceled', reason: 'the batch was canceled before this request ran' };
    case 'expired':
      return { customId, type: 'expired', reason: 'the batch expired (24 h) before this request ran' };
  }
}

/** The answer's text blocks joined; other block types (thinking, tool use) are not shown. */
export function messageText(message: ResultMessage): string {
  return message.content
    .filter(isTextBlock)
    .map((block) => block.text)
    .join('\n\n')
    .trim();
}
