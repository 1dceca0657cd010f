// Token and cost accounting. Tokens are estimated (about 4 characters a token, images from their
// pixel count) because tests only need plausible, repeatable numbers. The prompt cache mimics the
// real one closely enough for the extension's totals: the first request with a given prefix pays
// cache_creation_input_tokens, later ones report cache_read_input_tokens.
import { describeImage, type ImageFormat } from './images';
import { blocksOf, type Block, type ValidRequest } from './validate';
import { sha256 } from './util';

export interface StandInUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

function blockTokens(block: Block): number {
  if (block.type === 'image') {
    const source = block.source as { type: string; media_type: ImageFormat; data?: string };
    if (source.type !== 'base64' || !source.data) return 1600;
    const facts = describeImage(source.data, source.media_type);
    return Math.max(1, Math.ceil((facts.width * facts.height) / 750));
  }
  if (block.type === 'tool_result' && Array.isArray(block.content)) {
    return 10 + (block.content as Block[]).reduce((sum, inner) => sum + blockTokens(inner), 0);
  }
  const { cache_control: _ignored, ...rest } = block;
  return estimateTokens(JSON.stringify(rest));
}

/** The request as an ordered list of cacheable segments: tools, then system, then message blocks. */
function segments(request: ValidRequest): { tokens: number; key: string; breakpoint: boolean }[] {
  const out: { tokens: number; key: string; breakpoint: boolean }[] = [];
  for (const tool of request.tools ?? []) {
    const { cache_control: _ignored, ...rest } = tool;
    out.push({ tokens: estimateTokens(JSON.stringify(rest)), key: JSON.stringify(rest), breakpoint: Boolean(tool.cache_control) });
  }
  const system = typeof request.system === 'string' ? [{ type: 'text', text: request.system }] : request.system ?? [];
  for (const block of system) out.push({ tokens: blockTokens(block), key: JSON.stringify({ s: block.text }), breakpoint: Boolean(block.cache_control) });
  request.messages.forEach((message) => {
    for (const block of blocksOf(message)) {
      const { cache_control: _ignored, ...rest } = block;
      // Image data is hashed, not copied into the key, to keep the keys small.
      const key = block.type === 'image' ? sha256(JSON.stringify(rest)) : JSON.stringify(rest);
      out.push({ tokens: blockTokens(block), key: `${message.role}:${key}`, breakpoint: Boolean(block.cache_control) });
    }
  });
  return out;
}

export class PromptCache {
  private readonly entries = new Set<string>();

  clear(): void { this.entries.clear(); }

  /** Input usage for a request; records its cache breakpoints for the next requests. */
  account(request: ValidRequest): Omit<StandInUsage, 'output_tokens'> {
    const parts = segments(request);
    const total = parts.reduce((sum, part) => sum + part.tokens, 0) + 5;
    const breakpoints: { hash: string; tokens: number }[] = [];
    let running = 0;
    let prefixKey = request.model;
    for (const part of parts) {
      running += part.tokens;
      prefixKey = sha256(prefixKey + '\n' + part.key);
      if (part.breakpoint) breakpoints.push({ hash: prefixKey, tokens: running });
    }
    if (breakpoints.length === 0) return { input_tokens: total, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
    // The longest cached prefix is read; what lies between it and the last breakpoint is written.
    const hit = [...breakpoints].reverse().find((b) => this.entries.has(b.hash));
    const read = hit?.tokens ?? 0;
    const lastBreakpoint = breakpoints[breakpoints.length - 1].tokens;
    for (const b of breakpoints) this.entries.add(b.hash);
    return { input_tokens: total - lastBreakpoint, cache_creation_input_tokens: lastBreakpoint - read, cache_read_input_tokens: read };
  }
}

/** US dollars per million tokens: input, output (cache writes cost 1.25x input, reads 0.1x). */
const PRICES: { match: RegExp; input: number; output: number }[] = [
  // Opus 4.5 and later are cheaper than Opus 4 and 4.1.
  { match: /opus-4[-.][5-9]/, input: 5, output: 25 },
  { match: /opus/, input: 15, output: 75 },
  { match: /sonnet/, input: 3, output: 15 },
  { match: /haiku/, input: 1, output: 5 },
];

/** The stand-in's own convention for the gateway's credits (the real rate is not documented). */
export const CREDITS_PER_USD = 1_000_000;

export function gatewayUsage(model: string, usage: StandInUsage): { usd_spent: number; credits_used: number } {
  const price = PRICES.find((p) => p.match.test(model)) ?? PRICES[2];
  const usd = (usage.input_tokens * price.input + usage.cache_creation_input_tokens * price.input * 1.25
    + usage.cache_read_input_tokens * price.input * 0.1 + usage.output_tokens * price.output) / 1_000_000;
  const rounded = Math.round(usd * 1e8) / 1e8;
  return { usd_spent: rounded, credits_used: Math.round(rounded * CREDITS_PER_USD) };
}
