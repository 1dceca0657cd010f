// Every aimlChat.* setting the extension reads, with its default and where it may come from. The
// typed settings module (config.ts) reads through this table only, and a unit test checks it
// against package.json's contributes.configuration in both directions. Free of `vscode`.
import { DEFAULT_MODEL_ID } from '../core/api/models';

export interface SettingSpec<T> {
  default: T;
  /**
   * Read from user/machine scope only (a cloned repository's settings are ignored): the settings
   * that decide where the key goes and the request's shape (`machine` scope in package.json), and
   * every approval setting (`application` scope): a repository must not let the model act unseen.
   */
  userOnly: boolean;
}

const spec = <T>(value: T, userOnly: boolean): SettingSpec<T> => ({ default: value, userOnly });

export const SETTINGS = {
  'baseUrl': spec('https://api.aimlapi.com', true),
  'model': spec<string>(DEFAULT_MODEL_ID, true),
  'maxTokens': spec(8192, true),
  'temperature': spec<number | null>(null, true),
  'thinking.enabled': spec(false, true),
  'thinking.budgetTokens': spec(4096, true),
  'promptCaching': spec(true, true),
  'spendCapUsd': spec<number | null>(null, true),
  'balanceWarningUsd': spec<number | null>(null, true),
  'requestTimeoutSeconds': spec(60, true),
  'answerTimeoutMinutes': spec(30, true),
  'tools.enabled': spec(true, false),
  'tools.autoApproveReads': spec(true, true),
  'tools.autoApplyEdits': spec(false, true),
  'tools.approval': spec<Record<string, 'auto' | 'ask' | 'never'>>({}, true),
  'tools.maxCallsPerTurn': spec(25, false),
  'tools.editorToolStyle': spec<string>('custom', false),
  'tools.secretFilePatterns': spec<string[]>([], true),
  'context.autoCompactPercent': spec(80, true),
  'context.userInstructionsFile': spec('', true),
  'tools.commandAllowlist': spec<string[]>([], true),
  'tools.commandTimeoutSeconds': spec(120, false),
  'tools.vscodeTools': spec<string[]>([], true),
} as const;

export type SettingKey = keyof typeof SETTINGS;
export type SettingValue<K extends SettingKey> = (typeof SETTINGS)[K]['default'];
