// The words the extension puts in front of the model: the system prompt of every chat request and
// the prompt of "Explain Selection". Kept here, away from the request plumbing, so wording changes
// are reviewed as wording changes.
import { fencedCodeBlock } from '../util/markdownFence';

export interface SystemPromptOptions {
  /** Whether editor tools are sent with this request (tools off: the model must not promise edits). */
  toolsAvailable: boolean;
  /** Name of the open workspace, if any; helps the model read relative paths. */
  workspaceName?: string;
  /** Plan mode: the tools only read, so the prompt does not mention proposing edits. */
  readOnlyTools?: boolean;
}

export function buildSystemPrompt(options: SystemPromptOptions): string {
  const lines = [
    'You are AIML Chat, a coding assistant inside Visual Studio Code.',
    'Answer concisely. Lead with the answer, then the detail that matters. Use Markdown; put code in fenced blocks with a language tag.',
    'When you show a change, show only the relevant part of the file unless asked for the whole file.',
    'If you are unsure, say so instead of guessing; never invent file contents, APIs or command output.',
  ];
  if (options.workspaceName) lines.push(`The open workspace is "${options.workspaceName}"; paths are relative to its root.`);
  if (options.toolsAvailable) {
    lines.push(
      `You can use tools to read the workspace (read files, list folders, find files, search text, read diagnostics)${options.readOnlyTools ? '.' : ' and to propose edits.'}`,
      'Look before you answer questions about this codebase: read the files involved rather than assuming their content.',
      'Prefer a few targeted reads and searches over reading many files. Independent calls may be made in parallel.',
      ...(options.readOnlyTools ? [] : ['Edits are proposals: the user reviews each one as a diff and may discard it. Keep edits minimal and explain them briefly.']),
      'A tool result marked as an error explains what went wrong; adjust the call or tell the user, do not repeat the same call.',
    );
  } else {
    lines.push('Workspace tools are not available in this session: work from what the user shows you, and say when you would need to see more.');
  }
  return lines.join('\n');
}

export interface ExplainPromptInput {
  /** Workspace-relative path (or the file name for files outside the workspace). */
  fileName: string;
  languageId: string;
  /** 1-based line numbers of the explained code. */
  startLine: number;
  endLine: number;
  code: string;
  before: string;
  after: string;
}

export function buildExplainPrompt(input: ExplainPromptInput): string {
  const range = input.startLine === input.endLine ? `line ${input.startLine}` : `lines ${input.startLine}-${input.endLine}`;
  const parts = [`Explain this code from \`${input.fileName}\` (${range}, ${input.languageId}): what it does, how, and anything surprising or risky.`, '', fencedCodeBlock(input.code, input.languageId)];
  if (input.before.trim() || input.after.trim()) {
    parts.push('', 'Surrounding code, for context only:');
    if (input.before.trim()) parts.push('', 'Before:', fencedCodeBlock(input.before, input.languageId));
    if (input.after.trim()) parts.push('', 'After:', fencedCodeBlock(input.after, input.languageId));
  }
  return parts.join('\n');
}

/** Sent to the model with the last tool results when the per-turn tool-call limit is reached. */
export function toolLimitNote(limit: number): string {
  return `The limit of ${limit} tool calls for this answer has been reached; no more tools will run. `
    + 'Using what you have found so far, give the user your answer now, and say briefly what is left unchecked.';
}

/** Conversation titles: the first line of the first prompt, shortened. */
export function titleFromPrompt(text: string, maxLength = 60): string {
  const firstLine = text.split(/\r?\n/).map((l) => l.trim()).find((l) => l.length > 0) ?? '';
  const collapsed = firstLine.replace(/\s+/g, ' ');
  if (!collapsed) return 'New chat';
  return collapsed.length <= maxLength ? collapsed : `${collapsed.slice(0, maxLength - 1).trimEnd()}…`;
}
