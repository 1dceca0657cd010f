// Slash commands typed at the start of the Message box. /new and /compact are actions; the others
// turn into a prompt (the user's extra words appended) and say which context they need attached
// when the user attached none: the selection (or the active file), plus its problems for /fix.
import { slashCommandNames, type ContextKind, type SlashCommandName } from '../../shared/context';

export interface ParsedSlashCommand {
  name: SlashCommandName;
  /** The words after the command. */
  rest: string;
}

/** The command at the very start of the text, or undefined (an unknown `/word` is an ordinary prompt). */
export function parseSlashCommand(text: string): ParsedSlashCommand | undefined {
  const match = /^\/([a-z]+)(?:\s+([\s\S]*))?$/.exec(text.trim());
  if (!match || !(slashCommandNames as readonly string[]).includes(match[1])) return undefined;
  return { name: match[1] as SlashCommandName, rest: (match[2] ?? '').trim() };
}

const PROMPTS: Record<Exclude<SlashCommandName, 'new' | 'compact'>, string> = {
  explain: 'Explain the attached code: what it does, how it works, and anything surprising or risky.',
  fix: 'Fix the problems reported in the attached code. Explain each cause briefly, then propose the smallest correct change as an edit.',
  tests: 'Write unit tests for the attached code, in the style and framework the project already uses. Propose them as a new or changed test file through an edit, covering normal cases, edge cases and errors.',
  doc: 'Write documentation comments for the attached code in the language\'s usual style (JSDoc, docstrings, ...), explaining purpose, parameters, results and errors. Propose them as an edit; do not change behaviour.',
};

/** What a prompt command needs attached when the user attached nothing. */
export const COMMAND_CONTEXT: Record<Exclude<SlashCommandName, 'new' | 'compact'>, ContextKind[]> = {
  explain: ['selection'],
  fix: ['selection', 'problems'],
  tests: ['selection'],
  doc: ['selection'],
};

export function promptForCommand(command: ParsedSlashCommand): string | undefined {
  if (command.name === 'new' || command.name === 'compact') return undefined;
  const base = PROMPTS[command.name];
  return command.rest ? `${base}\n\n${command.rest}` : base;
}
