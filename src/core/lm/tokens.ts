// A token estimate for VS Code's provideTokenCount. Callers use it to fit prompts into the window,
// so it errs slightly high: 3.5 characters a token for text and JSON (Claude's tokenizer is
// not public), Claude's documented width × height / 750 for images, and a few tokens per message.
import { estimateImageTokens, readImageDimensions } from '../../shared/images';
import type { LmInputPart, LmMessage } from './types';

const CHARS_PER_TOKEN = 3.5;
const MESSAGE_OVERHEAD_TOKENS = 4;
/** An image whose size cannot be read: about what a 1092×1092 image costs. */
const UNKNOWN_IMAGE_TOKENS = 1600;

function textTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

function partTokens(part: LmInputPart): number {
  switch (part.kind) {
    case 'text':
    case 'thinking':
      return textTokens(part.value);
    case 'toolCall':
      return textTokens(part.name) + textTokens(JSON.stringify(part.input ?? {}));
    case 'toolResult':
      return MESSAGE_OVERHEAD_TOKENS + part.content.reduce((sum, c) => sum + partTokens(c), 0);
    case 'data': {
      if (part.mimeType.startsWith('image/')) {
        const size = readImageDimensions(part.data);
        return size ? estimateImageTokens(size) : UNKNOWN_IMAGE_TOKENS;
      }
      if (part.mimeType === 'cache_control' || part.mimeType === 'stateful_marker') return 0;
      return Math.ceil(part.data.byteLength / CHARS_PER_TOKEN);
    }
  }
}

export function estimateTokenCount(input: string | LmMessage): number {
  if (typeof input === 'string') return textTokens(input);
  return MESSAGE_OVERHEAD_TOKENS + input.parts.reduce((sum, part) => sum + partTokens(part), 0);
}
