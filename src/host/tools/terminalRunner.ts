// run_command in a VS Code terminal named "AIML Chat", so the user sees what runs: shell
// integration (VS Code 1.93+) gives the output and the exit code. When the API is missing (the
// engine allows 1.90) or the terminal's shell does not report shell integration within a few
// seconds, the command runs as a child process instead and the result says so.
import * as vscode from 'vscode';
import type { CommandRequest, CommandResult, CommandRunner } from '../../core/tools/commandTool';
import { BoundedOutput, ProcessCommandRunner, StoppedError } from './processRunner';

export const TERMINAL_NAME = 'AIML Chat';

// The shell integration API is newer than @types/vscode 1.90: the part used here, feature-detected.
interface ShellExecution { read(): AsyncIterable<string> }
interface ShellIntegration { executeCommand(commandLine: string): ShellExecution }
type IntegratedTerminal = vscode.Terminal & { shellIntegration?: ShellIntegration };
interface ShellIntegrationWindow {
  onDidChangeTerminalShellIntegration: vscode.Event<{ terminal: vscode.Terminal; shellIntegration: ShellIntegration }>;
  onDidEndTerminalShellExecution: vscode.Event<{ terminal: vscode.Terminal; execution: ShellExecution; exitCode: number | undefined }>;
}

function shellIntegrationApi(): ShellIntegrationWindow | undefined {
  const w = vscode.window as unknown as Partial<ShellIntegrationWindow>;
  return w.onDidChangeTerminalShellIntegration && w.onDidEndTerminalShellExecution ? (w as ShellIntegrationWindow) : undefined;
}

/** How long a terminal's shell may take to report shell integration before the child process is used. */
const INTEGRATION_WAIT_MS = 4000;
/** After Ctrl+C, how long the command may take to end before the terminal (and its processes) is closed. */
const INTERRUPT_GRACE_MS = 1500;

export class TerminalCommandRunner implements CommandRunner, vscode.Disposable {
  /** One terminal per working folder; a terminal whose shell never reported integration is remembered. */
  private readonly terminals = new Map<string, { terminal: IntegratedTerminal; noIntegration?: boolean }>();
  private readonly busy = new Set<vscode.Terminal>();

  constructor(private readonly fallback = new ProcessCommandRunner(), private readonly integrationWaitMs = INTEGRATION_WAIT_MS) {}

  async run(request: CommandRequest): Promise<CommandResult> {
    const api = shellIntegrationApi();
    if (!api) return this.fallback.run(request, 'this VS Code has no terminal shell integration API');
    const entry = this.terminalFor(request.cwd);
    const integration = entry.noIntegration ? entry.terminal.shellIntegration : await this.waitForIntegration(api, entry.terminal, request.signal);
    if (!integration) {
      entry.noIntegration = true;
      return this.fallback.run(request, `shell integration not available in the "${TERMINAL_NAME}" terminal`);
    }
    return this.runInTerminal(api, entry.terminal, integration, request);
  }

  private terminalFor(cwd: string): { terminal: IntegratedTerminal; noIntegration?: boolean } {
    const existing = this.terminals.get(cwd);
    if (existing && existing.terminal.exitStatus === undefined && !this.busy.has(existing.terminal)) return existing;
    const entry = { terminal: vscode.window.createTerminal({ name: TERMINAL_NAME, cwd, isTransient: true }) as IntegratedTerminal };
    // A busy terminal (another command still running there) is left alone; the new one takes its place.
    this.terminals.set(cwd, entry);
    return entry;
  }

  private waitForIntegration(api: ShellIntegrationWindow, terminal: IntegratedTerminal, signal: AbortSignal): Promise<ShellIntegration | undefined> {
    if (terminal.shellIntegration) return Promise.resolve(terminal.shellIntegration);
    return new Promise((resolve) => {
      const done = (value: ShellIntegration | undefined) => {
        clearTimeout(timer);
        listener.dispose();
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      };
      const onAbort = () => done(undefined);
      const listener = api.onDidChangeTerminalShellIntegration((e) => { if (e.terminal === terminal) done(e.shellIntegration); });
      const timer = setTimeout(() => done(terminal.shellIntegration), this.integrationWaitMs);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  private async runInTerminal(api: ShellIntegrationWindow, terminal: IntegratedTerminal, integration: ShellIntegration, request: CommandRequest): Promise<CommandResult> {
    if (request.signal.aborted) throw new StoppedError();
    terminal.show(true);
    this.busy.add(terminal);
    const output = new BoundedOutput();
    let execution: ShellExecution | undefined;
    let reason: 'timeout' | 'stop' | undefined;
    const disposables: vscode.Disposable[] = [];
    try {
      const ended = new Promise<number | undefined>((resolve) => {
        // Subscribed before the command starts, so a command that ends at once is not missed.
        disposables.push(api.onDidEndTerminalShellExecution((e) => { if (execution && e.execution === execution) resolve(e.exitCode); }));
        disposables.push(vscode.window.onDidCloseTerminal((closed) => { if (closed === terminal) resolve(undefined); }));
      });
      execution = integration.executeCommand(request.command);
      const reading = (async () => {
        for await (const data of execution.read()) output.push(data);
      })().catch(() => undefined);
      const interrupted = new Promise<'timeout' | 'stop'>((resolve) => {
        const timer = setTimeout(() => resolve('timeout'), request.timeoutMs);
        const onAbort = () => resolve('stop');
        request.signal.addEventListener('abort', onAbort, { once: true });
        disposables.push({ dispose: () => { clearTimeout(timer); request.signal.removeEventListener('abort', onAbort); } });
      });
      const first = await Promise.race([ended.then((code) => ({ code })), interrupted.then((why) => ({ why }))]);
      let exitCode: number | undefined;
      if ('why' in first) {
        reason = first.why;
        terminal.sendText('\u0003', false);
        const stoppedInTime = await Promise.race([ended.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), INTERRUPT_GRACE_MS))]);
        // Ctrl+C was not enough: closing the terminal ends its shell and what it started.
        if (!stoppedInTime) terminal.dispose();
      } else {
        exitCode = first.code;
      }
      await Promise.race([reading, new Promise((r) => setTimeout(r, 500))]);
      if (reason === 'stop') throw new StoppedError();
      return { output: output.text(), exitCode, via: 'terminal', timedOut: reason === 'timeout' };
    } finally {
      this.busy.delete(terminal);
      disposables.forEach((d) => d.dispose());
    }
  }

  dispose(): void {
    for (const { terminal } of this.terminals.values()) terminal.dispose();
    this.terminals.clear();
  }
}
