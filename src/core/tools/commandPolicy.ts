// Which shell commands may run without asking. The user's allowlist holds command prefixes
// (`npm test`, `git status`); a command matches only when it is ONE simple command made of plain
// characters whose first words are exactly an entry's words. Anything a shell could turn into a
// second command or a redirection — separators, pipes, background `&`, substitution, redirections,
// newlines, escapes, expansions, env-assignment prefixes, non-ASCII (lookalike separators, invisible
// characters) — asks every time, quoted or not: `npm test && curl … | sh` is not `npm test`.
// Pure: no `vscode`, no shell.

export type CommandAutoRun = { autoRun: true; entry: string } | { autoRun: false; reason: string };

/**
 * The only characters a command that runs unasked may contain. Everything else (`;&|<>$\`()\\{}[]*?!#~`,
 * newlines, tabs, every non-ASCII character) sends it to the user. Quotes are allowed as plain
 * characters: a separator inside quotes is still refused, so quoting cannot hide one. `%` and `^`
 * are out too (cmd.exe expands `%VAR%` and escapes with `^` on Windows).
 */
const PLAIN = /^[A-Za-z0-9 _\-./:,@+='"]*$/;
const ENV_ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

/** Why a command is not one plain simple command, or undefined when it is. */
export function compoundReason(command: string): string | undefined {
  if (/[\r\n]/.test(command)) return 'the command has several lines';
  if (/[;&|]/.test(command)) return 'the command chains, pipes or backgrounds commands (; & |)';
  if (/[`]|\$\(|[<>]\(/.test(command)) return 'the command substitutes the output of another command';
  if (/[<>]/.test(command)) return 'the command redirects input or output';
  if (/\$/.test(command)) return 'the command expands variables';
  if (/[^\x20-\x7e]/.test(command)) return 'the command has control characters or characters outside plain ASCII (lookalikes, invisible characters)';
  if (!PLAIN.test(command)) return 'the command has shell escapes, globs or other special characters';
  const [first] = words(command);
  if (first && ENV_ASSIGNMENT.test(first)) return 'the command starts with an environment assignment';
  return undefined;
}

function words(text: string): string[] {
  // Stryker disable next-line Regex,MethodExpression: without trim() or with single-space splits, filter(Boolean) drops the empty words.
  return text.trim().split(/ +/).filter(Boolean);
}

/** An entry usable as a prefix: plain, simple, not an assignment; blank entries never match. */
function usableEntry(entry: unknown): entry is string {
  // Stryker disable next-line ConditionalExpression: the command itself passed compoundReason, so an entry with a special character can never equal its words; the check keeps the intent explicit.
  return typeof entry === 'string' && words(entry).length > 0 && compoundReason(entry) === undefined;
}

/**
 * Whether `command` may run without asking under `allowlist`. Prefixes match whole words
 * (`npm test` matches `npm test -- --grep x`, not `npm testx` nor `npm test-evil`).
 */
export function commandAutoRun(command: string, allowlist: readonly unknown[]): CommandAutoRun {
  const compound = compoundReason(command);
  if (compound) return { autoRun: false, reason: `${compound}; it always asks` };
  const commandWords = words(command);
  if (commandWords.length === 0) return { autoRun: false, reason: 'the command is empty' };
  for (const entry of allowlist) {
    if (!usableEntry(entry)) continue;
    const entryWords = words(entry);
    // A longer entry never matches: a missing command word is undefined, never equal to an entry word.
    if (entryWords.every((w, i) => commandWords[i] === w)) return { autoRun: true, entry: entryWords.join(' ') };
  }
  return { autoRun: false, reason: 'commands ask before they run (aimlChat.tools.commandAllowlist)' };
}
