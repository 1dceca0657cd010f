// Builds the tools: the VS Code ToolHost, the runner the chat's turn loop calls, the proposal
// documents and the commands around them. The chat feature receives `executor` and `actions`
// (the webview's toolDecision / showDiff messages are routed to the runner through them).
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { WebviewToHost } from '../../shared/protocol';
import type { TurnCheckpoint } from '../../core/checkpoints/recorder';
import type { TurnInfo } from '../../core/chat/session/types';
import { registerTestOnlyCommands } from '../testCommands';
import { LazyToolRunner, type ToolsBundle } from './lazyRunner';
import { ProposalManager } from './proposals';
import { VscodeToolHost } from './vscodeToolHost';

export interface ToolsFeature {
  /** The ToolExecutor for the chat; also decide() / showDiff() / pendingDecisions(). Loaded on first use. */
  runner: LazyToolRunner;
  /** The workspace access the tools use (the chat's context chips read through it too). */
  host: VscodeToolHost;
  /** Handlers for the chat view's tool messages. */
  actions: {
    onToolDecision(message: Extract<WebviewToHost, { type: 'toolDecision' }>): void;
    onShowDiff(toolUseId: string): void;
  };
  proposals: ProposalManager;
}

/** dist/tools.js, beside dist/extension.js: esbuild leaves a computed require alone. */
function requireToolsBundle(): ToolsBundle {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loading a bundle at runtime is the point
  return require(path.join(__dirname, 'tools.js')) as ToolsBundle;
}

/** `lap` names the parts of activate() spent here (src/extension.ts, docs/BENCHMARKS.md "Activation"). */
export function registerTools(services: { context: vscode.ExtensionContext; log: vscode.LogOutputChannel; testMode: boolean; checkpoints?: (turn: TurnInfo) => TurnCheckpoint }, lap: (name: string) => void = () => undefined): ToolsFeature {
  const { context, log } = services;
  const proposals = new ProposalManager();
  lap('tools.proposals');
  // Context chips, checkpoints and @aiml read the workspace through this host; the runner makes its own.
  const host = new VscodeToolHost(proposals);
  const runner = new LazyToolRunner({ proposals, log, checkpoints: services.checkpoints }, requireToolsBundle, (ms) => log.debug(`tool runner loaded in ${ms.toFixed(1)} ms`));

  lap('tools.runner');

  const decideFromEditor = (decision: 'apply' | 'discard') => (uri?: vscode.Uri) => {
    const id = proposals.idOf(uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri);
    if (!id || !proposals.decide(id, decision)) void vscode.window.showInformationMessage('AIML Chat: this proposal is no longer waiting for a decision.');
  };

  context.subscriptions.push(
    proposals,
    runner,
    vscode.commands.registerCommand('aimlChat.applyProposal', decideFromEditor('apply')),
    vscode.commands.registerCommand('aimlChat.discardProposal', decideFromEditor('discard')),
    vscode.commands.registerCommand('aimlChat.chooseVscodeTools', () => runner.module().chooseVscodeTools()),
    // Test hooks, registered only in test mode: answer a tool card or a refactor proposal as the
    // user would. Returns false when nothing with that id waits for that decision.
    ...registerTestOnlyCommands(vscode.commands, services.testMode, {
      'aimlChat.internal.decide': (id: string, decision: 'allow' | 'deny' | 'apply' | 'discard', acceptedHunks?: number[]) =>
        runner.decide(id, decision, acceptedHunks) || ((decision === 'apply' || decision === 'discard') && proposals.decide(id, decision)),
      'aimlChat.internal.pendingDecisions': () => runner.pendingDecisions(),
    }),
  );
  lap('tools.commands');

  return {
    runner,
    host,
    proposals,
    actions: {
      onToolDecision: (message) => {
        if (!runner.decide(message.toolUseId, message.decision, message.acceptedHunks)) log.warn(`ignored ${message.decision} for ${message.toolUseId}: nothing is waiting for it`);
      },
      onShowDiff: (toolUseId) => {
        void runner.showDiff(toolUseId).then((shown) => {
          if (!shown) log.info(`no diff to show for ${toolUseId}`);
        });
      },
    },
  };
}
