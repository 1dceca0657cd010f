// What one tool call's handler works with: confined paths, the approval gate, its chat card and
// the decision the user makes on that card. Shared by the custom tools and the text editor tool.
import type { ImageBlock, TextBlock, ToolCallState, ToolCallStatus } from '../../shared/model';
import type { ContentGate, GateRefusalKind } from '../security/contentGate';
import type { PathResolver, ResolvedPath } from './paths';
import { decideApproval, type ApprovalClass, type ToolPolicySettings } from './policy';
import type { SensitivePaths } from './sensitivePaths';
import type { ToolHost } from './toolHost';
import { decodeText, type DecodeResult } from './text';
import type { HunkSummary } from './hunks';
import type { TurnCheckpoint } from '../checkpoints/recorder';

export interface Outcome {
  status: Extract<ToolCallStatus, 'succeeded' | 'failed' | 'denied' | 'discarded' | 'applied' | 'skipped'>;
  /** One line for the card. */
  summary: string;
  /** What the model reads. */
  content: string;
  isError: boolean;
  details?: string;
  /**
   * Rich tool_result content (text and image blocks) sent instead of `content` when set; `content`
   * then still holds a plain-text description of it.
   */
  blocks?: Array<TextBlock | ImageBlock>;
  /** The defence that refused the call (path confinement, secret, ...), for tests and logs. */
  refusal?: GateRefusalKind;
  /** Files a search or listing left out, and which defence left each out. */
  gated?: Array<{ path: string; kind: GateRefusalKind }>;
}

export const failure = (summary: string, content = summary): Outcome => ({ status: 'failed', summary, content, isError: true });
export const refused = (kind: GateRefusalKind, reason: string, hint = ''): Outcome => ({ ...failure(`refused: ${reason}`, `Refused: ${reason}.${hint}`), refusal: kind });
export const success = (summary: string, content: string, details?: string): Outcome => ({ status: 'succeeded', summary, content, isError: false, details });

export type Decision = { decision: 'allow' | 'deny' | 'apply' | 'discard'; acceptedHunks?: number[] };

/** Resolves when the user decides on a card; the runner routes decide() here. */
export type DecisionWaiter = (kind: 'allow_deny' | 'apply_discard', onReveal?: () => Promise<void>) => Promise<Decision>;

export type Permission = { ok: true } | { ok: false; outcome: Outcome };

export class CallScope {
  constructor(
    readonly toolUseId: string,
    /** Names the per-tool approval setting is looked up under, most specific first. */
    readonly policyNames: string[],
    readonly host: ToolHost,
    readonly gate: ContentGate,
    readonly settings: ToolPolicySettings,
    readonly signal: AbortSignal,
    private readonly card: ToolCallState,
    private readonly post: (card: ToolCallState) => void,
    readonly waitForDecision: DecisionWaiter,
    /** The answer's checkpoints (issue 13): files are recorded before the turn first changes them. */
    readonly checkpoint?: TurnCheckpoint,
  ) {}

  get resolver(): PathResolver { return this.gate.resolver; }
  get sensitive(): SensitivePaths { return this.gate.sensitive; }

  update(patch: Partial<ToolCallState>): void {
    Object.assign(this.card, patch);
    if (!patch.approval && patch.status && patch.status !== 'awaiting_approval') delete this.card.approval;
    this.post({ ...this.card });
  }

  setTarget(target: string): void {
    this.update({ target });
  }

  isSecret(resolved: ResolvedPath, requested?: string): boolean {
    // Stryker disable next-line ArrayDeclaration: a made-up extra path is not a secret
    return this.sensitive.isSecret(resolved.relPath, resolved.displayPath, resolved.absPath, ...(requested ? [requested] : []));
  }

  /** The approval gate for reads: runs, asks with Allow / Deny, or refuses. */
  async permit(approvalClass: ApprovalClass, alwaysAskReason?: string): Promise<Permission> {
    const decision = decideApproval(this.settings, { toolNames: this.policyNames, approvalClass, alwaysAskReason });
    if (decision.action === 'refuse') return { ok: false, outcome: failure(`refused: ${decision.reason}`, `Refused: ${decision.reason}.`) };
    if (decision.action === 'run') return { ok: true };
    this.update({ status: 'awaiting_approval', approval: { kind: 'allow_deny', reason: decision.reason } });
    const answer = await this.waitForDecision('allow_deny');
    if (answer.decision !== 'allow') {
      return { ok: false, outcome: { status: 'denied', summary: 'denied by the user', content: 'The user denied this tool call. Do not retry it; ask the user if you need this information.', isError: true } };
    }
    this.update({ status: 'running' });
    return { ok: true };
  }

  async resolve(rawPath: string): Promise<{ ok: true; value: ResolvedPath } | { ok: false; outcome: Outcome }> {
    const result = await this.resolver.resolve(rawPath);
    if (!result.ok) return { ok: false, outcome: refused(result.kind, result.reason, ' Tools can only use files inside the workspace folders.') };
    this.setTarget(result.value.displayPath);
    return result;
  }

  /** The file's text as the user sees it (unsaved editor text included). */
  async readText(absPath: string): Promise<DecodeResult & { bytes?: number }> {
    const content = await this.host.readFile(absPath);
    if (content.source === 'editor') return { ok: true, text: content.text };
    return { ...decodeText(content.bytes), bytes: content.bytes.length };
  }

  showEditApproval(reason: string, hunks: HunkSummary[]): void {
    this.update({ status: 'awaiting_approval', approval: { kind: 'apply_discard', reason, hunks } });
  }
}
