// Compaction inside a session: the projection that decides it, the separate summary request, and
// the `Context window` meter's figure. The conversation changes only once a summary arrived and
// passed its checks: a failed or stopped compaction leaves it exactly as it was.
import type { ContextAttachment, ContextMeter } from '../../../shared/context';
import type { Conversation, ErrorInfo } from '../../../shared/model';
import { contextWindowTokens, findModel } from '../../api/models';
import type { MessagesApi } from '../../api/types';
import { buildSummaryRequest, compactionRecord, DEFAULT_COMPACT_AT_PERCENT, planCompaction, shouldCompact, summaryFromAnswer } from '../../context/compaction';
import { estimateContext, projectNextRequest } from '../../context/meter';
import { estimateTokens } from '../../context/tokens';
import { errorInfoOf } from '../turnRunner';
import { systemPromptFor } from './turnSetup';
import type { ChatSessionDeps, SessionSettings } from './types';

/** Tool definitions are not known before an answer's executor exists: a fixed allowance (they are about 2k tokens). */
const TOOL_DEFINITIONS_ALLOWANCE = 2500;

export function windowOf(deps: ChatSessionDeps, model: string): number {
  return deps.contextWindow?.(model) ?? contextWindowTokens(model);
}

export function compactAtPercent(settings: SessionSettings): number {
  return settings.autoCompactPercent ?? DEFAULT_COMPACT_AT_PERCENT;
}

/** System prompt, instruction files and tools: counted when no reported usage includes them. */
function overheadTokens(deps: ChatSessionDeps): number {
  return estimateTokens(systemPromptFor(true, deps.workspaceName(), deps.systemPromptAdditions?.() ?? [])) + TOOL_DEFINITIONS_ALLOWANCE;
}

export function contextMeterOf(deps: ChatSessionDeps, conversation: Conversation, settings: SessionSettings): ContextMeter {
  return { usedTokens: estimateContext(conversation, overheadTokens(deps)).usedTokens, windowTokens: windowOf(deps, settings.model), compactAtPercent: compactAtPercent(settings) };
}

/** Whether sending this prompt should first summarise older turns. */
export function needsCompaction(deps: ChatSessionDeps, conversation: Conversation, settings: SessionSettings, prompt: { text: string; chips?: readonly ContextAttachment[] }): boolean {
  const estimate = estimateContext(conversation, overheadTokens(deps));
  const projected = projectNextRequest(estimate, { content: [{ type: 'text', text: prompt.text }], context: prompt.chips ? [...prompt.chips] : undefined });
  return shouldCompact(projected, windowOf(deps, settings.model), compactAtPercent(settings)) && planCompaction(conversation) !== undefined;
}

export type CompactionResult =
  | { kind: 'done'; summarisedMessages: number; tokensBefore: number; tokensAfter: number; usdSpent?: number }
  | { kind: 'nothing'; message: string }
  | { kind: 'failed'; error: ErrorInfo };

/** Summarises the older turns with one separate request and stores the summary on the conversation. */
export async function compactConversation(api: MessagesApi, conversation: Conversation, settings: SessionSettings, signal: AbortSignal, now: number): Promise<CompactionResult> {
  const plan = planCompaction(conversation);
  if (!plan) return { kind: 'nothing', message: 'Nothing to compact yet: the last two turns are always sent in full.' };
  let record;
  try {
    const answer = await api.create(buildSummaryRequest(plan, settings.model, findModel(settings.model)?.defaultMaxTokens), { signal });
    record = compactionRecord(plan, summaryFromAnswer(answer), answer, now);
  } catch (error) {
    const info = errorInfoOf(error);
    return { kind: 'failed', error: { ...info, retryable: false, message: `Compacting the conversation failed: ${info.message} Nothing was lost: the conversation is unchanged${signal.aborted ? '' : ', and your message is back in the box'}.` } };
  }
  conversation.compaction = record;
  const totals = conversation.totals;
  totals.inputTokens += record.inputTokens ?? 0;
  totals.outputTokens += record.outputTokens ?? 0;
  totals.usdSpent += record.usdSpent ?? 0;
  conversation.updatedAt = now;
  return { kind: 'done', summarisedMessages: plan.summarised.length, tokensBefore: record.tokensBefore, tokensAfter: record.tokensAfter, usdSpent: record.usdSpent };
}
