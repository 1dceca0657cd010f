// What the end of a stream carries instead of the whole text again: the webview already holds the
// text from the deltas, so the host sends its length and a hash, and the webview asks for the whole
// message (`resendMessage`) when its copy differs. FNV-1a over UTF-16 code units: about a
// millisecond for 200 KB, and a dropped, doubled or reordered delta changes it (the length alone
// would miss a reordering). Not a security check: the webview only compares its own copy.
import * as z from './zod';
import { isTextBlock, isThinkingBlock, type ContentBlock } from './model';

export const TextDigest = z.object({ length: z.int().check(z.nonnegative()), hash: z.int().check(z.nonnegative()) });
export type TextDigest = z.infer<typeof TextDigest>;

export function digestText(text: string): TextDigest {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return { length: text.length, hash: hash >>> 0 };
}

export function sameDigest(text: string, digest: TextDigest): boolean {
  if (text.length !== digest.length) return false;
  return digestText(text).hash === digest.hash;
}

/** Texts shorter than this travel in full: leaving them out saves nothing worth a resend. */
export const elideFromChars = 512;

/** The streamed text of a text or thinking block, the part a `finish` can leave out. */
export function streamedText(block: ContentBlock): string | undefined {
  if (isTextBlock(block)) return block.text;
  if (isThinkingBlock(block)) return block.thinking;
  return undefined;
}

/** The block with its streamed text left out and that text's digest, or the block unchanged (no digest). */
export function elideText(block: ContentBlock): { block: ContentBlock; elided?: TextDigest } {
  const text = streamedText(block);
  if (text === undefined || text.length < elideFromChars) return { block };
  return { block: withStreamedText(block, ''), elided: digestText(text) };
}

/** The block with `text` put back where elideText left it out. */
export function withStreamedText(block: ContentBlock, text: string): ContentBlock {
  if (isTextBlock(block)) return { ...block, text };
  if (isThinkingBlock(block)) return { ...block, thinking: text };
  return block;
}
