// The `Context window` meter: how full the next request would be. The last answer's reported usage
// is exact for everything up to that answer (input, cache reads and writes, and its own output,
// which the next request sends back); what was added since (tool results, a new prompt, chips) is
// estimated. Without a reported usage (a new or just-compacted chat) everything is estimated.
import type { Conversation, StoredMessage, Usage } from '../../shared/model';
import { firstKeptIndex, historyForRequest } from './compaction';
import { estimateMessagesTokens, estimateTokens } from './tokens';

import { contextWindowTokens } from '../api/models';

export const DEFAULT_CONTEXT_WINDOW = contextWindowTokens('claude-sonnet-4-6');

export function usageTokens(usage: Usage): number {
  return (usage.input_tokens ?? 0) + (usage.cache_read_input_tokens ?? 0) + (usage.cache_creation_input_tokens ?? 0) + (usage.output_tokens ?? 0);
}

export interface ContextEstimate {
  /** Estimated tokens of the next request without the new prompt. */
  usedTokens: number;
  /** Whether a reported usage anchors the figure (otherwise it is an estimate throughout). */
  anchored: boolean;
}

/**
 * `overheadTokens`: system prompt, instruction files and tool definitions, counted only when no
 * reported usage includes them already.
 */
export function estimateContext(conversation: Conversation, overheadTokens: number): ContextEstimate {
  const start = firstKeptIndex(conversation);
  const messages = conversation.messages;
  // Answers from before a summary reported the long history: they cannot anchor the figure.
  const compactedAt = start > 0 ? conversation.compaction?.createdAt ?? 0 : -Infinity;
  let anchor = -1;
  for (let i = messages.length - 1; i >= start; i--) {
    const m = messages[i];
    if (m.role === 'assistant' && m.usage && m.status === 'complete' && usageTokens(m.usage) > 0 && m.createdAt > compactedAt) { anchor = i; break; }
  }
  if (anchor >= 0) {
    return { usedTokens: usageTokens(messages[anchor].usage as Usage) + estimateMessagesTokens(messages.slice(anchor + 1)), anchored: true };
  }
  return { usedTokens: overheadTokens + estimateMessagesTokens(historyForRequest(conversation)), anchored: false };
}

/** Tokens the next request would have once `prompt` is added (its text and chips). */
export function projectNextRequest(estimate: ContextEstimate, prompt: Pick<StoredMessage, 'content' | 'context'> | string): number {
  if (typeof prompt === 'string') return estimate.usedTokens + estimateTokens(prompt);
  return estimate.usedTokens + estimateMessagesTokens([{ id: '', role: 'user', createdAt: 0, ...prompt }]);
}
