// Typed access to the aimlChat.* settings. Settings that decide where the API key is sent
// (baseUrl, model and the request shape) are read only from user/machine scope: a value in a
// cloned repository's .vscode/settings.json is ignored, whatever scope VS Code would allow. The
// same holds for every approval setting (auto-approved reads, auto-applied edits, per-tool
// overrides, secret patterns): a repository must not be able to let the model act unseen.
import * as vscode from 'vscode';
import type { SessionSettings } from '../core/chat/session/types';
import { isRecord } from '../shared/records';
import { SETTINGS, type SettingKey, type SettingSpec, type SettingValue } from './settingsTable';

export const DEFAULT_BASE_URL = SETTINGS.baseUrl.default;
export const DEFAULT_MODEL = SETTINGS.model.default;

export type ToolApproval = 'auto' | 'ask' | 'never';
export type EditorToolStyle = 'custom' | 'anthropic';

/** Everything the extension reads; the chat session's snapshot is the part it needs. */
export interface ChatSettings extends SessionSettings {
  /** Warn before a request when the balance is below this (US dollars); null: never. */
  balanceWarningUsd: number | null;
  toolsEnabled: boolean;
  autoApproveReads: boolean;
  autoApplyEdits: boolean;
  toolApproval: Record<string, ToolApproval>;
  secretFilePatterns: string[];
  /** Absolute or ~ path of the user-level instruction file ('' for none). */
  userInstructionsFile?: string;
}

/**
 * One setting, with the table's default. A user-only setting ignores workspace and folder values
 * (user, remote/machine or default only); the others take VS Code's usual precedence.
 */
function read<K extends SettingKey>(section: vscode.WorkspaceConfiguration, key: K): SettingValue<K> {
  const { default: fallback, userOnly } = SETTINGS[key] as SettingSpec<SettingValue<K>>;
  if (!userOnly) return section.get<SettingValue<K>>(key, fallback);
  const inspected = section.inspect<SettingValue<K>>(key);
  return (inspected?.globalValue ?? inspected?.defaultValue ?? fallback) as SettingValue<K>;
}

const objectOrEmpty = (v: unknown): Record<string, unknown> => (isRecord(v) ? v : {});
const stringsOnly = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

export function readSettings(): ChatSettings {
  const c = vscode.workspace.getConfiguration('aimlChat');
  const baseUrl = String(read(c, 'baseUrl')).trim().replace(/\/+$/, '') || DEFAULT_BASE_URL;
  return {
    baseUrl,
    model: String(read(c, 'model')).trim() || DEFAULT_MODEL,
    maxTokens: Number(read(c, 'maxTokens')),
    temperature: read(c, 'temperature'),
    thinkingEnabled: Boolean(read(c, 'thinking.enabled')),
    thinkingBudgetTokens: Number(read(c, 'thinking.budgetTokens')),
    promptCaching: Boolean(read(c, 'promptCaching')),
    spendCapUsd: read(c, 'spendCapUsd'),
    balanceWarningUsd: read(c, 'balanceWarningUsd'),
    requestTimeoutMs: Number(read(c, 'requestTimeoutSeconds')) * 1000,
    answerTimeoutMs: Number(read(c, 'answerTimeoutMinutes')) * 60_000,
    toolsEnabled: read(c, 'tools.enabled'),
    autoApproveReads: read(c, 'tools.autoApproveReads') === true,
    autoApplyEdits: read(c, 'tools.autoApplyEdits') === true,
    toolApproval: objectOrEmpty(read(c, 'tools.approval')) as Record<string, ToolApproval>,
    maxToolCallsPerTurn: read(c, 'tools.maxCallsPerTurn'),
    secretFilePatterns: stringsOnly(read(c, 'tools.secretFilePatterns')),
    autoCompactPercent: Number(read(c, 'context.autoCompactPercent')),
    userInstructionsFile: String(read(c, 'context.userInstructionsFile') ?? '').trim(),
  };
}

/** How edits are offered to the model: our own tools, or Anthropic's text-editor tool. */
export function readEditorToolStyle(): EditorToolStyle {
  return read(vscode.workspace.getConfiguration('aimlChat'), 'tools.editorToolStyle') === 'anthropic' ? 'anthropic' : 'custom';
}

/** run_command's allowlist (user scope only, like every approval setting) and default timeout. */
export function readCommandSettings(): { commandAllowlist: string[]; commandTimeoutSeconds: number } {
  const c = vscode.workspace.getConfiguration('aimlChat');
  return { commandAllowlist: stringsOnly(read(c, 'tools.commandAllowlist')), commandTimeoutSeconds: Number(read(c, 'tools.commandTimeoutSeconds')) || 120 };
}

/** The VS Code / MCP tools the user chose for the model (user scope only, like every approval setting). */
export function readVscodeToolChoices(): string[] {
  return stringsOnly(read(vscode.workspace.getConfiguration('aimlChat'), 'tools.vscodeTools'));
}

/** Persists the model choice in user (global) settings, where readSettings looks. */
export async function saveModel(model: string): Promise<void> {
  await vscode.workspace.getConfiguration('aimlChat').update('model', model, vscode.ConfigurationTarget.Global);
}

export function onSettingsChanged(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration('aimlChat')) listener();
  });
}
