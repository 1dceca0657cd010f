// Automatic compaction: when the next request would pass a share of the model's context window,
// the older turns are summarised by the model in a separate request and, from then on, requests
// carry the summary plus the recent turns verbatim. The stored transcript keeps every message;
// `conversation.compaction` records the summary and where the verbatim part starts (the marker).
//
// Why a split at a prompt: a turn (prompt, answers, tool calls and results) is kept whole, so a
// tool_use is never separated from its tool_result and the kept part starts with a user message.
import type { ContentBlock, Conversation, StoredMessage, ToolResultBlock } from '../../shared/model';
import type { ConversationCompaction } from '../../shared/context';
import type { ApiMessage, MessagesRequest } from '../api/types';
import { estimateMessagesTokens, estimateTokens } from './tokens';

/** Prompts (with their answers) always sent verbatim after a summary. */
export const KEEP_RECENT_TURNS = 2;
export const DEFAULT_COMPACT_AT_PERCENT = 80;
/** Longest excerpt of one tool result or attached context in the text the summariser reads. */
const EXCERPT_CHARS = 1500;
const SUMMARY_MAX_TOKENS = 4096;
export const SUMMARY_MESSAGE_ID = 'compaction-summary';

export const SUMMARY_SYSTEM_PROMPT = [
  'You write the working memory of a coding conversation between a user and an assistant inside VS Code.',
  'The conversation will continue from your summary alone: anything you leave out is forgotten.',
  'Write Markdown with exactly these sections, and keep every item that is still relevant:',
  '## User\'s goals and constraints — what the user wants, and every requirement, preference or prohibition they stated (quote short ones verbatim).',
  '## Decisions — what was decided or agreed, with the reason when one was given.',
  '## Files and code — every file path that was read, discussed or changed, and what matters about it (functions, line ranges, changes made or proposed, whether applied).',
  '## Open tasks — what is unfinished, pending approval, or was promised next.',
  '## Facts learned — results of tool calls, errors seen, commands and their outcome, contents of images; fold them into sentences, do not paste them.',
  'Be concise and concrete. Do not invent anything. Do not address the user.',
].join('\n');

export interface CompactionPlan {
  /** Messages the summary replaces (after any earlier summary). */
  summarised: StoredMessage[];
  previousSummary?: string;
  firstKeptMessageId: string;
  /** Estimated tokens of what the summary replaces (previous summary included). */
  tokensBefore: number;
}

function promptIndexes(messages: readonly StoredMessage[]): number[] {
  return messages.flatMap((m, i) => (m.role === 'user' && m.kind !== 'tool_results' ? [i] : []));
}

/** Index of the first message sent verbatim, or 0 when the conversation has no usable summary. */
export function firstKeptIndex(conversation: Conversation): number {
  const id = conversation.compaction?.firstKeptMessageId;
  if (!id) return 0;
  const index = conversation.messages.findIndex((m) => m.id === id);
  return index === -1 ? 0 : index;
}

/** The messages a request is built from: the summary as the first user message, then the recent turns. */
export function historyForRequest(conversation: Conversation): StoredMessage[] {
  const start = firstKeptIndex(conversation);
  if (start === 0 || !conversation.compaction) return conversation.messages;
  const summary: StoredMessage = {
    id: SUMMARY_MESSAGE_ID,
    role: 'user',
    kind: 'prompt',
    createdAt: conversation.compaction.createdAt,
    content: [{ type: 'text', text: `<conversation_summary>\nEarlier turns of this conversation, summarised:\n\n${conversation.compaction.summary}\n</conversation_summary>` }],
  };
  return [summary, ...conversation.messages.slice(start)];
}

/** Older turns to summarise, or undefined when there are not enough turns beyond the kept ones. */
export function planCompaction(conversation: Conversation, keepTurns = KEEP_RECENT_TURNS): CompactionPlan | undefined {
  const start = firstKeptIndex(conversation);
  const messages = conversation.messages;
  const prompts = promptIndexes(messages).filter((i) => i >= start);
  if (prompts.length <= keepTurns) return undefined;
  const cut = prompts[prompts.length - keepTurns];
  const summarised = messages.slice(start, cut).filter((m) => m.status !== 'streaming');
  if (summarised.length === 0) return undefined;
  const previousSummary = start > 0 ? conversation.compaction?.summary : undefined;
  return {
    summarised,
    previousSummary,
    firstKeptMessageId: messages[cut].id,
    tokensBefore: estimateMessagesTokens(summarised) + (previousSummary ? estimateTokens(previousSummary) : 0),
  };
}

/** Whether a request of `projectedTokens` should be preceded by compaction. */
export function shouldCompact(projectedTokens: number, windowTokens: number, compactAtPercent: number): boolean {
  if (!(compactAtPercent > 0) || !(windowTokens > 0)) return false;
  return projectedTokens >= (windowTokens * compactAtPercent) / 100;
}

function excerpt(text: string): string {
  return text.length <= EXCERPT_CHARS ? text : `${text.slice(0, EXCERPT_CHARS)}… [${text.length - EXCERPT_CHARS} more characters]`;
}

function renderBlock(block: ContentBlock): string | undefined {
  const b = block as Record<string, unknown>;
  switch (b.type) {
    case 'text': return String(b.text ?? '');
    case 'thinking':
    case 'redacted_thinking': return undefined;
    case 'image':
    case 'image_ref': return `[image${b.name ? ` ${String(b.name)}` : ''}]`;
    case 'tool_use': return `[tool call ${String(b.name)} ${excerpt(JSON.stringify(b.input ?? {}))}]`;
    case 'tool_result': {
      const r = block as ToolResultBlock;
      const items = typeof r.content === 'string' ? [{ type: 'text', text: r.content } as ContentBlock] : (r.content ?? []) as ContentBlock[];
      const inner = items.filter((c) => c.type === 'text').map((c) => (c as { text: string }).text).join('\n');
      const others = items.filter((c) => c.type !== 'text').map((c) => renderBlock(c)).filter(Boolean);
      return [`[tool result${r.is_error ? ' (error)' : ''}: ${excerpt(inner)}]`, ...others].join('\n');
    }
    default: return `[${String(b.type)} block]`;
  }
}

/** The older turns as plain text: tool results and images folded in as short excerpts. */
export function renderForSummary(messages: readonly StoredMessage[]): string {
  const lines: string[] = [];
  for (const message of messages) {
    const who = message.role === 'user' ? (message.kind === 'tool_results' ? 'Tool results' : 'User') : 'Assistant';
    const parts = (message.context ?? []).map((c) => `[attached ${c.kind} ${c.label}: ${excerpt(c.text)}]`);
    for (const block of message.content) {
      const text = renderBlock(block);
      if (text) parts.push(text);
    }
    if (parts.length > 0) lines.push(`### ${who}\n${parts.join('\n')}`);
  }
  return lines.join('\n\n');
}

export function buildSummaryRequest(plan: CompactionPlan, model: string, maxOutputTokens?: number): MessagesRequest {
  const earlier = plan.previousSummary ? `Summary of the turns before these (merge it into yours):\n\n${plan.previousSummary}\n\n` : '';
  const text = `${earlier}The conversation to summarise:\n\n${renderForSummary(plan.summarised)}\n\nWrite the summary now, with the five sections.`;
  return {
    model,
    max_tokens: Math.min(SUMMARY_MAX_TOKENS, maxOutputTokens ?? SUMMARY_MAX_TOKENS),
    system: [{ type: 'text', text: SUMMARY_SYSTEM_PROMPT }],
    messages: [{ role: 'user', content: [{ type: 'text', text }] }],
  };
}

/** The summary text of the model's answer; throws when it has none (the conversation is left as it was). */
export function summaryFromAnswer(answer: ApiMessage): string {
  const text = answer.content.filter((b) => b.type === 'text').map((b) => (b as { text: string }).text).join('\n').trim();
  if (!text) throw new Error('the model returned an empty summary');
  if (answer.stop_reason === 'max_tokens' && text.length < 200) throw new Error('the summary was cut off before it said anything useful');
  return text;
}

/** The record stored on the conversation once a summary was written. */
export function compactionRecord(plan: CompactionPlan, summary: string, answer: ApiMessage, now: number): ConversationCompaction {
  const usage = answer.usage;
  const usd = answer.meta?.usage?.usd_spent;
  return {
    summary,
    firstKeptMessageId: plan.firstKeptMessageId,
    createdAt: now,
    tokensBefore: plan.tokensBefore,
    tokensAfter: estimateTokens(summary),
    inputTokens: usage ? (usage.input_tokens ?? 0) + (usage.cache_read_input_tokens ?? 0) + (usage.cache_creation_input_tokens ?? 0) : undefined,
    outputTokens: usage?.output_tokens,
    usdSpent: typeof usd === 'number' && Number.isFinite(usd) && usd >= 0 ? usd : undefined,
  };
}
