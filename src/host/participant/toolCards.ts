// Tool calls of an `@aiml` answer, shown in VS Code's Chat view: a progress line while a call
// runs, its outcome in one line, and for a call that waits for the user the reason with buttons
// (Allow / Deny, or Show Diff / Apply / Discard for an edit, whose diff editor also has them).
import * as vscode from 'vscode';
import type { ToolCallState } from '../../shared/model';

const FINAL = new Set<ToolCallState['status']>(['succeeded', 'failed', 'denied', 'discarded', 'applied', 'skipped']);

function inlineCode(text: string): string {
  const ticks = '`'.repeat(Math.max(1, ...Array.from(text.matchAll(/`+/g), (m) => m[0].length + 1)));
  return `${ticks}${ticks.length > 1 ? ' ' : ''}${text}${ticks.length > 1 ? ' ' : ''}${ticks}`;
}

export class ToolCardRenderer {
  private readonly shown = new Map<string, string>();
  private thinkingShown = false;

  constructor(private readonly stream: vscode.ChatResponseStream) {}

  thinking(): void {
    if (this.thinkingShown) return;
    this.thinkingShown = true;
    this.stream.progress('Thinking…');
  }

  render(call: ToolCallState): void {
    const what = call.target ? `${call.tool} ${inlineCode(call.target)}` : call.tool;
    // One output per status change: cards are re-sent often while a call runs.
    const key = `${call.status}|${call.approval?.kind ?? ''}`;
    if (this.shown.get(call.toolUseId) === key) return;
    this.shown.set(call.toolUseId, key);

    if (call.status === 'running') this.stream.progress(`${call.tool} ${call.target}`.trim());
    else if (call.status === 'awaiting_approval' && call.approval) {
      this.stream.markdown(new vscode.MarkdownString(`\n\n**${call.tool}** wants to run${call.target ? ` on ${inlineCode(call.target)}` : ''}: ${call.approval.reason}\n\n`));
      const decide = (decision: string, title: string) => this.stream.button({ command: 'aimlChat.internal.decide', arguments: [call.toolUseId, decision], title });
      if (call.approval.kind === 'apply_discard') {
        this.stream.button({ command: 'aimlChat.internal.showDiff', arguments: [call.toolUseId], title: 'Show Diff' });
        decide('apply', 'Apply');
        decide('discard', 'Discard');
      } else {
        decide('allow', 'Allow');
        decide('deny', 'Deny');
      }
    } else if (FINAL.has(call.status)) {
      this.stream.markdown(new vscode.MarkdownString(`\n\n_${what}: ${call.summary ?? call.status}_\n\n`));
    }
  }
}
