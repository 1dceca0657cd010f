// The `changes` and `terminal` chips, which need VS Code itself: the working tree's diff through
// the built-in Git extension's API (never a shell), and the last command with its output through
// terminal shell integration. Both fail with a sentence the chip area shows.
import * as vscode from 'vscode';
import { makeChip, type ChipResult } from '../../core/context/contextSources';

/** The parts of the Git extension's API (extensions/git/src/api/git.d.ts) used here. */
interface GitRepository {
  rootUri: vscode.Uri;
  state: { untrackedChanges?: ReadonlyArray<{ uri: vscode.Uri }>; workingTreeChanges: ReadonlyArray<{ uri: vscode.Uri }>; indexChanges: ReadonlyArray<{ uri: vscode.Uri }> };
  diff(cached?: boolean): Promise<string>;
}
interface GitApi { repositories: GitRepository[] }
interface GitExtension { getAPI(version: 1): GitApi }

export async function changesChip(isSecret: (relPath: string) => boolean): Promise<ChipResult> {
  const extension = vscode.extensions.getExtension<GitExtension>('vscode.git');
  if (!extension) return { ok: false, reason: 'the Git extension is not available in this VS Code' };
  const git = (extension.isActive ? extension.exports : await extension.activate()).getAPI(1);
  const folder = vscode.workspace.workspaceFolders?.[0];
  const repository = git.repositories.find((r) => folder && folder.uri.fsPath.startsWith(r.rootUri.fsPath)) ?? git.repositories[0];
  if (!repository) return { ok: false, reason: 'this workspace is not a Git repository (or Git has not opened it yet)' };
  const [staged, unstaged] = await Promise.all([repository.diff(true), repository.diff(false)]);
  const untracked = (repository.state.untrackedChanges ?? []).map((c) => vscode.workspace.asRelativePath(c.uri, false));
  // A diff of a secret-looking file is as secret as the file: leave those hunks out.
  const text = [staged, unstaged].map((diff) => dropSecretFiles(diff, isSecret)).filter((d) => d.trim()).join('\n');
  const parts = [text || 'No changes to tracked files.'];
  if (untracked.length) parts.push(`Untracked files (content not shown): ${untracked.join(', ')}`);
  return { ok: true, chip: makeChip({ kind: 'changes', label: 'changes', text: parts.join('\n\n') }) };
}

function dropSecretFiles(diff: string, isSecret: (relPath: string) => boolean): string {
  return diff.split(/^(?=diff --git )/m).filter((section) => {
    const match = /^diff --git a\/(.+?) b\//.exec(section);
    return !match || !isSecret(match[1]);
  }).join('');
}

/** Shell-integration API (VS Code 1.93+); typed here because the extension supports 1.90. */
interface ShellExecution { commandLine: { value: string }; cwd?: vscode.Uri; read(): AsyncIterable<string> }
interface ShellExecutionEvent { terminal: vscode.Terminal; execution: ShellExecution; exitCode?: number }
type ShellWindow = {
  onDidStartTerminalShellExecution?: vscode.Event<ShellExecutionEvent>;
  onDidEndTerminalShellExecution?: vscode.Event<ShellExecutionEvent>;
};

const MAX_OUTPUT_CHARS = 60_000;

/** Remembers the last finished command of any terminal, with its output (ANSI codes removed). */
export class TerminalRecorder implements vscode.Disposable {
  private last: { command: string; cwd?: string; exitCode?: number; output: string; terminal: string } | undefined;
  private readonly outputs = new Map<ShellExecution, Promise<string>>();
  private readonly disposables: vscode.Disposable[] = [];
  readonly available: boolean;

  constructor() {
    const shell = vscode.window as unknown as ShellWindow;
    this.available = !!shell.onDidStartTerminalShellExecution && !!shell.onDidEndTerminalShellExecution;
    if (!this.available) return;
    this.disposables.push(
      shell.onDidStartTerminalShellExecution!((event) => this.outputs.set(event.execution, collect(event.execution))),
      shell.onDidEndTerminalShellExecution!(async (event) => {
        const output = await (this.outputs.get(event.execution) ?? Promise.resolve(''));
        this.outputs.delete(event.execution);
        this.last = { command: event.execution.commandLine.value, cwd: event.execution.cwd?.fsPath, exitCode: event.exitCode, output, terminal: event.terminal.name };
      }),
    );
  }

  chip(): ChipResult {
    if (!this.available) return { ok: false, reason: 'this VS Code has no terminal shell-integration API (it needs VS Code 1.93 or later)' };
    if (!this.last) return { ok: false, reason: 'no command has finished in a terminal with shell integration since the chat started. Run the command again (shell integration must be on: terminal.integrated.shellIntegration.enabled)' };
    const { command, cwd, exitCode, output, terminal } = this.last;
    const header = `$ ${command}\n# terminal "${terminal}"${cwd ? `, in ${vscode.workspace.asRelativePath(cwd)}` : ''}, exit code ${exitCode ?? 'unknown'}`;
    return { ok: true, chip: makeChip({ kind: 'terminal', label: 'terminal', language: 'shellscript', text: `${header}\n${output}` }) };
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

async function collect(execution: ShellExecution): Promise<string> {
  let text = '';
  try {
    for await (const data of execution.read()) {
      text += data;
      if (text.length > MAX_OUTPUT_CHARS * 2) text = text.slice(-MAX_OUTPUT_CHARS);
    }
  } catch { /* the terminal closed */ }
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/\u001b\][^\u0007\u001b]*(\u0007|\u001b\\)/g, '').replace(/\u001b\[[0-9;?]*[ -/]*[@-~]/g, '').replace(/\r(?!\n)/g, '');
  return clean.length > MAX_OUTPUT_CHARS ? `[earlier output cut]\n${clean.slice(-MAX_OUTPUT_CHARS)}` : clean;
}
