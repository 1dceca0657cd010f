// The tool runner and everything it runs (every tool, the edit flow, run_command, VS Code's and MCP
// tools): a bundle of its own, dist/tools.js, loaded by lazyRunner.ts the first time an answer or
// the view needs the tools (issue 15: what every activation parses stays small; the batch feature
// is split off the same way). It makes its own ToolHost: the errors the host's edits throw
// (StaleFileError, FileExistsError) and the ones the tools check for must be this bundle's classes.
import * as vscode from 'vscode';
import type { TurnInfo } from '../../core/chat/session/types';
import type { TurnCheckpoint } from '../../core/checkpoints/recorder';
import { ToolRunner, type ToolRunnerSettings } from '../../core/tools/toolRunner';
import { readCommandSettings, readEditorToolStyle, readSettings, readVscodeToolChoices } from '../config';
import type { ProposalManager } from './proposals';
import { TerminalCommandRunner } from './terminalRunner';
import { VscodeToolHost } from './vscodeToolHost';
import { VscodeLmToolSource } from './vscodeLmTools';

export { chooseVscodeTools } from './vscodeLmTools';

export function toolRunnerSettings(): ToolRunnerSettings {
  const s = readSettings();
  return {
    toolsEnabled: s.toolsEnabled,
    workspaceTrusted: vscode.workspace.isTrusted,
    autoApproveReads: s.autoApproveReads,
    autoApplyEdits: s.autoApplyEdits,
    toolApproval: s.toolApproval,
    secretFilePatterns: s.secretFilePatterns,
    ...readCommandSettings(),
    editorToolStyle: readEditorToolStyle(),
    externalTools: readVscodeToolChoices(),
  };
}

export interface ToolRunnerDeps {
  /** The proposal documents (made at activation: refactor and batch open them too). */
  proposals: ProposalManager;
  log: vscode.LogOutputChannel;
  /** Records each answer's checkpoints (src/host/checkpoints). */
  checkpoints?: (turn: TurnInfo) => TurnCheckpoint;
}

export interface ToolRunnerParts {
  runner: ToolRunner;
  dispose(): void;
}

export function createToolRunner(deps: ToolRunnerDeps): ToolRunnerParts {
  const host = new VscodeToolHost(deps.proposals);
  const commands = new TerminalCommandRunner();
  const runner = new ToolRunner(host, toolRunnerSettings, commands, new VscodeLmToolSource(), deps.checkpoints);
  host.onTitleDecision = (id, decision) => {
    if (!runner.decide(id, decision)) deps.log.warn(`no pending edit ${id} for the ${decision} button`);
  };
  return { runner, dispose: () => commands.dispose() };
}
