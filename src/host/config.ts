// Typed access to the aimlChat.* settings. Settings that decide where the API key is sent
// (baseUrl, model and the request shape) are read only from user/machine scope: a value in a
// cloned repository's .vscode/settings.json is ignored, whatever scope VS Code would allow.
import * as vscode from 'vscode';

export const DEFAULT_BASE_URL = 'https://api.aimlapi.com';
export const DEFAULT_MODEL = 'claude-sonnet-4-6';

export type ToolApproval = 'auto' | 'ask' | 'never';

export interface ChatSettings {
  baseUrl: string;
  model: string;
  maxTokens: number;
  temperature: number | null;
  thinkingEnabled: boolean;
  thinkingBudgetTokens: number;
  promptCaching: boolean;
  spendCapUsd: number | null;
  requestTimeoutMs: number;
  toolsEnabled: boolean;
  autoApproveReads: boolean;
  autoApplyEdits: boolean;
  toolApproval: Record<string, ToolApproval>;
  maxToolCallsPerTurn: number;
  secretFilePatterns: string[];
}

/** Reads a setting ignoring workspace and folder values (user, remote/machine or default only). */
function userOnly<T>(section: vscode.WorkspaceConfiguration, key: string, fallback: T): T {
  const inspected = section.inspect<T>(key);
  return (inspected?.globalValue ?? inspected?.defaultValue ?? fallback) as T;
}

export function readSettings(): ChatSettings {
  const c = vscode.workspace.getConfiguration('aimlChat');
  const baseUrl = String(userOnly(c, 'baseUrl', DEFAULT_BASE_URL)).trim().replace(/\/+$/, '') || DEFAULT_BASE_URL;
  return {
    baseUrl,
    model: String(userOnly(c, 'model', DEFAULT_MODEL)).trim() || DEFAULT_MODEL,
    maxTokens: Number(userOnly(c, 'maxTokens', 8192)),
    temperature: userOnly<number | null>(c, 'temperature', null),
    thinkingEnabled: Boolean(userOnly(c, 'thinking.enabled', false)),
    thinkingBudgetTokens: Number(userOnly(c, 'thinking.budgetTokens', 4096)),
    promptCaching: Boolean(userOnly(c, 'promptCaching', true)),
    spendCapUsd: userOnly<number | null>(c, 'spendCapUsd', null),
    requestTimeoutMs: Number(userOnly(c, 'requestTimeoutSeconds', 60)) * 1000,
    toolsEnabled: c.get<boolean>('tools.enabled', true),
    autoApproveReads: c.get<boolean>('tools.autoApproveReads', true),
    autoApplyEdits: c.get<boolean>('tools.autoApplyEdits', false),
    toolApproval: c.get<Record<string, ToolApproval>>('tools.approval', {}),
    maxToolCallsPerTurn: c.get<number>('tools.maxCallsPerTurn', 25),
    secretFilePatterns: c.get<string[]>('tools.secretFilePatterns', []),
  };
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
