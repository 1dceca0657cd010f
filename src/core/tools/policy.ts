// The approval policy: for one call, run it, ask the user first, or refuse it outright.
// Order of precedence (strongest first): tools off / Restricted Mode → per-tool `never` →
// paths that always ask (secrets, .vscode/.git, our own settings) → per-tool `auto`/`ask` →
// the class default (reads: autoApproveReads; edits: autoApplyEdits).

/** `command`: run_command, which asks unless its own allowlist lets a plain command through (commandPolicy.ts). */
export type ApprovalClass = 'read' | 'edit' | 'command';
export type ToolApprovalSetting = 'auto' | 'ask' | 'never';

export interface ToolPolicySettings {
  toolsEnabled: boolean;
  /** vscode.workspace.isTrusted; false in Restricted Mode. */
  workspaceTrusted: boolean;
  autoApproveReads: boolean;
  autoApplyEdits: boolean;
  toolApproval: Record<string, ToolApprovalSetting>;
  secretFilePatterns: string[];
}

export type PolicyDecision = { action: 'run' } | { action: 'ask'; reason: string } | { action: 'refuse'; reason: string };

/** Why tools are off, in the words the chat's notice and the refused tool calls both use. */
export const TOOLS_OFF_NOTICES = {
  restricted: 'Workspace tools are off in Restricted Mode. Trust this workspace to let the assistant read files and propose edits.',
  disabled: 'Workspace tools are turned off (setting aimlChat.tools.enabled).',
} as const;

/** The one place that says whether (and why) tools are off; undefined when they are on. */
export function toolsOffReason(settings: Pick<ToolPolicySettings, 'toolsEnabled' | 'workspaceTrusted'>): string | undefined {
  if (!settings.workspaceTrusted) return TOOLS_OFF_NOTICES.restricted;
  if (!settings.toolsEnabled) return TOOLS_OFF_NOTICES.disabled;
  return undefined;
}

/** The per-tool override; `names` lists the tool and its equivalents (e.g. a text-editor command's custom tool). */
export function toolOverride(settings: ToolPolicySettings, names: string[]): ToolApprovalSetting | undefined {
  for (const name of names) {
    const value = settings.toolApproval?.[name];
    if (value === 'auto' || value === 'ask' || value === 'never') return value;
  }
  return undefined;
}

export interface CallFacts {
  /** Names the per-tool override is looked up under, most specific first. */
  toolNames: string[];
  approvalClass: ApprovalClass;
  /** Set when the target needs a decision whatever the settings (secret file, .vscode/, ...). */
  alwaysAskReason?: string;
}

export function decideApproval(settings: ToolPolicySettings, facts: CallFacts): PolicyDecision {
  const off = toolsOffReason(settings);
  if (off) return { action: 'refuse', reason: off };
  const override = toolOverride(settings, facts.toolNames);
  if (override === 'never') return { action: 'refuse', reason: `the user turned ${facts.toolNames[0]} off (setting aimlChat.tools.approval)` };
  if (facts.alwaysAskReason) return { action: 'ask', reason: facts.alwaysAskReason };
  // A per-tool `auto` never lets commands run unasked: only the allowlist of plain commands does.
  if (facts.approvalClass === 'command') return { action: 'ask', reason: 'commands ask before they run' };
  if (override === 'auto') return { action: 'run' };
  if (override === 'ask') return { action: 'ask', reason: `${facts.toolNames[0]} is set to ask (aimlChat.tools.approval)` };
  if (facts.approvalClass === 'read') return settings.autoApproveReads ? { action: 'run' } : { action: 'ask', reason: 'reads ask first (aimlChat.tools.autoApproveReads is off)' };
  return settings.autoApplyEdits ? { action: 'run' } : { action: 'ask', reason: 'review the proposed edit' };
}
