// Small pure operations on a stored conversation, shared by the chat session and its tests.
import { isImageRefBlock, isTextBlock, isToolResultBlock, type ContentBlock, type Conversation, type ImageRefBlock, type StoredMessage, type ToolResultBlock } from '../../shared/model';

/** The text of a message's text blocks (a prompt's words, without its images). */
export function textOf(message: StoredMessage): string {
  return message.content.filter(isTextBlock).map((b) => b.text).join('\n');
}

/** Adds one answer's usage and gateway cost to the conversation totals. */
export function addUsage(conversation: Conversation, message: StoredMessage): void {
  const totals = conversation.totals;
  const usage = message.usage;
  if (usage) {
    totals.inputTokens += usage.input_tokens ?? 0;
    totals.outputTokens += usage.output_tokens ?? 0;
    totals.cacheReadTokens += usage.cache_read_input_tokens ?? 0;
    totals.cacheWriteTokens += usage.cache_creation_input_tokens ?? 0;
  }
  if (typeof message.usdSpent === 'number') totals.usdSpent += message.usdSpent;
}

/** Every stored image a set of messages shows, including images inside tool results. */
export function imageRefsOf(messages: StoredMessage[]): ImageRefBlock[] {
  const refs: ImageRefBlock[] = [];
  const visit = (block: ContentBlock | Exclude<ToolResultBlock['content'], string | undefined>[number]): void => {
    if (isImageRefBlock(block)) refs.push(block);
    else if (isToolResultBlock(block) && Array.isArray(block.content)) {
      for (const inner of block.content) visit(inner);
    }
  };
  for (const m of messages) for (const b of m.content) visit(b);
  return refs;
}

/**
 * A prompt whose answer failed before any text arrived was put back in the composer; when the
 * user sends again, the old prompt and its empty failed answer are removed so the prompt is not
 * in the conversation twice. Returns whether anything was removed.
 */
export function dropUnansweredFailedPrompt(messages: StoredMessage[]): boolean {
  const last = messages[messages.length - 1];
  const before = messages[messages.length - 2];
  if (last?.role === 'assistant' && last.status === 'error' && last.content.length === 0 && before?.kind === 'prompt') {
    messages.splice(messages.length - 2, 2);
    return true;
  }
  return false;
}

/** An answer that Retry replaces: one that failed, or was cut short (by an error or by Stop). */
export function isRetryableAnswer(message: StoredMessage): boolean {
  return message.role === 'assistant' && (message.status === 'error' || message.status === 'interrupted');
}
