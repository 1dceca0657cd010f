// What the `@aiml` participant sends for one request of VS Code's Chat view: the slash command's
// instruction with the user's words, the references (#file, the selection, ...) as delimited
// context blocks placed before them, and the follow-ups offered after the answer.
import type { ContentBlock } from '../../shared/model';
import { fencedCodeBlock } from '../util/markdownFence';

export const PARTICIPANT_ID = 'aimlChat.agent';
export const participantCommands = ['explain', 'fix', 'tests', 'doc'] as const;
export type ParticipantCommand = (typeof participantCommands)[number];

const INSTRUCTIONS: Record<ParticipantCommand, string> = {
  explain: 'Explain the attached code: what it does, how it works, and anything surprising or risky.',
  fix: 'Find and fix the problems in the attached code. Explain each cause briefly, then propose the smallest correct change as an edit.',
  tests: 'Write unit tests for the attached code, in the framework and style the project already uses. Propose them as a new or changed test file through an edit, covering normal cases, edge cases and errors.',
  doc: 'Write documentation comments for the attached code in the language\'s usual style, explaining purpose, parameters, results and errors. Propose them as an edit; do not change behaviour.',
};

export function isParticipantCommand(command: string | undefined): command is ParticipantCommand {
  return (participantCommands as readonly string[]).includes(command ?? '');
}

/** The text of the user message: the command's instruction, then the user's own words. */
export function participantPromptText(command: string | undefined, prompt: string): string {
  const words = prompt.trim();
  if (!isParticipantCommand(command)) return words;
  return words ? `${INSTRUCTIONS[command]}\n\n${words}` : INSTRUCTIONS[command];
}

/** A reference of the Chat view, resolved by the host to text. */
export interface ParticipantReference {
  kind: 'file' | 'selection' | 'text';
  /** What the user sees, e.g. `src/app.ts` or `src/app.ts:10-14`. */
  label: string;
  /** Workspace-relative path of a file or selection. */
  path?: string;
  language?: string;
  /** 1-based inclusive lines of a selection. */
  lines?: { start: number; end: number };
  text: string;
  truncated?: boolean;
}

function header(reference: ParticipantReference): string {
  const parts = [reference.kind === 'selection' ? 'Selection' : reference.kind === 'file' ? 'File' : 'Reference'];
  parts.push(reference.path ? `path: ${reference.path}` : `name: ${reference.label}`);
  if (reference.language) parts.push(`language: ${reference.language}`);
  if (reference.lines) parts.push(`lines: ${reference.lines.start}-${reference.lines.end}`);
  if (reference.truncated) parts.push('truncated');
  return parts.join(' | ').replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/**
 * One text block holding every reference, each delimited and fenced so its content cannot pose as
 * instructions or close the fence early; the same source twice is sent once, as is a selection
 * inside a whole file that is also attached.
 */
export function referenceBlocks(references: readonly ParticipantReference[]): ContentBlock[] {
  const wholeFiles = new Set(references.filter((r) => r.kind === 'file' && !r.truncated && r.path).map((r) => r.path));
  const seen = new Set<string>();
  const sections: string[] = [];
  for (const reference of references) {
    const key = `${reference.kind}|${reference.path ?? reference.label}|${reference.lines?.start ?? ''}-${reference.lines?.end ?? ''}`;
    if (seen.has(key) || (reference.kind === 'selection' && reference.path && wholeFiles.has(reference.path))) continue;
    seen.add(key);
    sections.push(`<context source="${header(reference)}">\n${fencedCodeBlock(reference.text, reference.language ?? '')}\n</context>`);
  }
  if (sections.length === 0) return [];
  return [{ type: 'text', text: ['The user attached this context:', ...sections].join('\n\n') }];
}

export interface ParticipantFollowup { label: string; command?: ParticipantCommand; prompt: string }

/** Next steps offered under an answer: what usually follows the command just run. */
export function followupsFor(command: string | undefined): ParticipantFollowup[] {
  switch (command) {
    case 'explain':
      return [{ label: 'Write tests for it', command: 'tests', prompt: '' }, { label: 'Document it', command: 'doc', prompt: '' }];
    case 'fix':
      return [{ label: 'Write tests for the fix', command: 'tests', prompt: '' }];
    case 'tests':
      return [{ label: 'Document the code under test', command: 'doc', prompt: '' }];
    case 'doc':
      return [];
    default:
      return [{ label: 'Explain the selection', command: 'explain', prompt: '' }];
  }
}
