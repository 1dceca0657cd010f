// Token estimates for the context meter, chip sizes and the compaction trigger. The API reports
// exact counts only after a request; before it, about four characters a token is close enough for
// Claude's tokenizer on code and English (it errs high on prose, low on dense minified code).
import type { ContentBlock, StoredMessage } from '../../shared/model';

export const CHARS_PER_TOKEN = 4;
/** A scaled image (≤ 1568 px on the long side) costs up to about 1600 tokens. */
export const IMAGE_TOKENS = 1600;

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

function blockTokens(block: ContentBlock): number {
  const b = block as Record<string, unknown>;
  switch (b.type) {
    case 'text': return estimateTokens(String(b.text ?? ''));
    case 'thinking': return estimateTokens(String(b.thinking ?? ''));
    case 'image':
    case 'image_ref': return IMAGE_TOKENS;
    case 'tool_result': {
      const content = b.content;
      if (typeof content === 'string') return estimateTokens(content) + 10;
      if (Array.isArray(content)) return (content as ContentBlock[]).reduce((sum, c) => sum + blockTokens(c), 10);
      return 10;
    }
    default: return estimateTokens(JSON.stringify(block));
  }
}

/** Estimated input tokens of messages as the request builder would send them (context chips included). */
export function estimateMessagesTokens(messages: readonly StoredMessage[]): number {
  let tokens = 0;
  for (const message of messages) {
    tokens += 4; // role and framing
    for (const block of message.content) tokens += blockTokens(block);
    for (const chip of message.context ?? []) tokens += chip.tokens;
  }
  return tokens;
}
