// run_command as a child process (`shell: true`, in the confined working folder): the fallback when
// the "AIML Chat" terminal has no shell integration. Output is kept bounded while it streams (head
// and tail), a timeout and the turn's Stop kill the whole process group. Free of `vscode`, so unit
// tests run it for real.
import { spawn } from 'node:child_process';
import type { CommandRequest, CommandResult, CommandRunner } from '../../core/tools/commandTool';

/** Characters kept from each end while output streams; the model gets far less (trimOutput). */
const KEEP = 64 * 1024;

/** Keeps the first and the last KEEP characters of a stream, counting what fell out between. */
export class BoundedOutput {
  private head = '';
  private tail = '';
  private dropped = 0;

  push(text: string): void {
    if (this.head.length < KEEP) {
      const room = KEEP - this.head.length;
      this.head += text.slice(0, room);
      text = text.slice(room);
    }
    if (!text) return;
    this.tail += text;
    if (this.tail.length > KEEP) {
      this.dropped += this.tail.length - KEEP;
      this.tail = this.tail.slice(-KEEP);
    }
  }

  text(): string {
    return this.dropped ? `${this.head}\n[… ${this.dropped} characters not kept …]\n${this.tail}` : this.head + this.tail;
  }
}

export class StoppedError extends Error {
  constructor() {
    super('The command was stopped.');
    this.name = 'AbortError';
  }
}

/** Kills the command and everything it started (the shell's process group on POSIX, the tree on Windows). */
function killTree(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    if (process.platform === 'win32') spawn('taskkill', ['/pid', String(pid), '/T', '/F'], { stdio: 'ignore' });
    else process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

export class ProcessCommandRunner implements CommandRunner {
  run(request: CommandRequest, note?: string): Promise<CommandResult> {
    return new Promise<CommandResult>((resolve, reject) => {
      if (request.signal.aborted) { reject(new StoppedError()); return; }
      const output = new BoundedOutput();
      // detached: its own process group, so a kill reaches the shell's children too.
      const child = spawn(request.command, { cwd: request.cwd, shell: true, detached: process.platform !== 'win32', stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
      let timedOut = false;
      let stopped = false;
      child.stdout.setEncoding('utf8').on('data', (text: string) => output.push(text));
      child.stderr.setEncoding('utf8').on('data', (text: string) => output.push(text));
      const timer = setTimeout(() => { timedOut = true; killTree(child.pid); }, request.timeoutMs);
      const onAbort = () => { stopped = true; killTree(child.pid); };
      request.signal.addEventListener('abort', onAbort, { once: true });
      const finish = () => {
        clearTimeout(timer);
        request.signal.removeEventListener('abort', onAbort);
      };
      child.on('error', (error) => {
        finish();
        if (stopped) reject(new StoppedError());
        else resolve({ output: `Could not start the command: ${error.message}`, exitCode: undefined, via: 'process', timedOut, note });
      });
      child.on('close', (code) => {
        finish();
        if (stopped) reject(new StoppedError());
        else resolve({ output: output.text(), exitCode: timedOut ? undefined : code ?? undefined, via: 'process', timedOut, note });
      });
    });
  }
}
