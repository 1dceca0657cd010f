// What the `@aiml` participant sends for one request of VS Code's Chat view: the slash command's
// prompt (the same one the chat view's `/explain` ... `/doc` send, from context/slashCommands.ts)
// with the user's words, and the follow-ups offered after the answer. References become the chat
// view's context chips (references.ts), formatted by context/contextBlocks.ts.
import type { SlashCommandName } from '../../shared/context';
import { promptForCommand } from '../context/slashCommands';

export const PARTICIPANT_ID = 'aimlChat.agent';
export const participantCommands = ['explain', 'fix', 'tests', 'doc'] as const satisfies readonly SlashCommandName[];
export type ParticipantCommand = (typeof participantCommands)[number];

export function isParticipantCommand(command: string | undefined): command is ParticipantCommand {
  // Stryker disable next-line StringLiteral: any string that is not a command name gives the same false
  return (participantCommands as readonly string[]).includes(command ?? '');
}

/** The text of the user message: the command's prompt, then the user's own words. */
export function participantPromptText(command: string | undefined, prompt: string): string {
  const words = prompt.trim();
  if (!isParticipantCommand(command)) return words;
  return promptForCommand({ name: command, rest: words }) ?? words;
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
