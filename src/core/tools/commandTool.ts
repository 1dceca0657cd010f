// The run_command tool: confines the working folder to the workspace, asks with the command card
// (Run / Deny) unless the allowlist lets a plain simple command through, runs it through the
// host's CommandRunner and hands the model the exit code and the output cut to a budget (head and
// tail kept, with a marker of what was cut).
import { failure, type CallScope, type Outcome } from './callScope';
import { commandAutoRun } from './commandPolicy';
import { toolOverride } from './policy';

export interface CommandRequest {
  command: string;
  /** Absolute, confined to a workspace folder. */
  cwd: string;
  timeoutMs: number;
  /** The turn's Stop: the runner kills the command. */
  signal: AbortSignal;
}

export interface CommandResult {
  /** stdout and stderr as the terminal or the process produced them. */
  output: string;
  /** undefined when the shell did not report one (or the command was killed). */
  exitCode: number | undefined;
  /** `terminal`: the "AIML Chat" terminal with shell integration; `process`: a child process (no shell integration). */
  via: 'terminal' | 'process';
  timedOut: boolean;
  /** Set by the runner when it fell back to a child process, e.g. "shell integration not available". */
  note?: string;
}

export interface CommandRunner {
  run(request: CommandRequest): Promise<CommandResult>;
}

export interface CommandSettings {
  commandAllowlist: readonly unknown[];
  commandTimeoutSeconds: number;
}

/** Characters of output the model gets back; the rest is cut from the middle. */
export const OUTPUT_BUDGET = 16_000;

// eslint-disable-next-line no-control-regex -- terminal output carries escape sequences on purpose
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;

/** Terminal escape sequences out, CRLF to LF, trailing blank lines off. */
export function cleanOutput(text: string): string {
  return text.replace(ANSI, '').replace(/\r\n?/g, '\n').replace(/\s+$/, '');
}

/** Keeps the head and the tail of `text` within `budget` characters, naming how much was cut. */
export function trimOutput(text: string, budget = OUTPUT_BUDGET): string {
  if (text.length <= budget) return text;
  const head = Math.floor(budget * 0.4);
  const tail = budget - head;
  const cut = text.length - head - tail;
  const cutLines = text.slice(head, text.length - tail).split('\n').length - 1;
  return `${text.slice(0, head)}\n[… ${cut} characters (${cutLines} lines) cut from the middle of the output …]\n${text.slice(text.length - tail)}`;
}

export interface RunCommandInput {
  command: string;
  cwd?: string;
  timeoutSeconds?: number;
}

export async function runCommandTool(scope: CallScope, runner: CommandRunner, settings: CommandSettings, input: RunCommandInput): Promise<Outcome> {
  const folder = await scope.resolve(input.cwd ?? '.');
  if (!folder.ok) return folder.outcome;
  const stat = await scope.host.stat(folder.value.absPath);
  if (stat?.kind !== 'directory') return failure('not a folder', `cwd "${input.cwd}" is not a folder in the workspace. Nothing was run.`);
  const cwdLabel = folder.value.displayPath;
  scope.setTarget(input.command);

  // Only the allowlist lets a command run unasked: a per-tool `auto` does not, so a compound
  // command can never slip through.
  const allowed = commandAutoRun(input.command, settings.commandAllowlist);
  const forced = toolOverride(scope.settings, scope.policyNames) === 'ask';
  if (!allowed.autoRun || forced) {
    const reason = allowed.autoRun ? 'run_command is set to ask (aimlChat.tools.approval)' : allowed.reason;
    scope.update({ status: 'awaiting_approval', approval: { kind: 'command', reason, command: { text: input.command, cwd: cwdLabel } } });
    const answer = await scope.waitForDecision('allow_deny');
    if (answer.decision !== 'allow') {
      return { status: 'denied', summary: 'denied by the user', content: 'The user denied running this command. Do not retry it; ask the user what to do instead.', isError: true };
    }
  }
  scope.update({ status: 'running', summary: `in ${cwdLabel}` });

  const timeoutSeconds = input.timeoutSeconds ?? settings.commandTimeoutSeconds;
  const run = () => runner.run({ command: input.command, cwd: folder.value.absPath, timeoutMs: timeoutSeconds * 1000, signal: scope.signal });
  // The workspace is compared before and after, so `Restore checkpoint` covers what the command changed.
  const result = scope.checkpoint ? await scope.checkpoint.aroundCommand(run) : await run();
  const output = trimOutput(cleanOutput(result.output));
  const how = result.via === 'terminal' ? 'in the "AIML Chat" terminal' : `as a child process${result.note ? ` (${result.note})` : ''}`;
  const exit = result.timedOut ? `timed out after ${timeoutSeconds} s and was stopped` : result.exitCode === undefined ? 'finished (exit code unknown)' : `exited with code ${result.exitCode}`;
  const content = `$ ${input.command}\n(in ${cwdLabel}, ran ${how}; ${exit})\n${output || '(no output)'}`;
  const failed = result.timedOut || (result.exitCode !== undefined && result.exitCode !== 0);
  const summary = `${exit} · ran ${result.via === 'terminal' ? 'in the terminal' : 'as a child process'}`;
  return { status: failed ? 'failed' : 'succeeded', summary, content, isError: failed, details: content };
}
