// Small helpers shared by the stand-in's files: ids, a seeded PRNG and thinking signatures.
import { createHash, createHmac, randomBytes } from 'node:crypto';

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Ids shaped like the real ones (`msg_01…`, `toolu_01…`, `req_…`). */
export function newId(prefix: string, length = 24): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += ID_ALPHABET[byte % ID_ALPHABET.length];
  return `${prefix}${out}`;
}

/** Deterministic PRNG (mulberry32) so a seed reproduces the same chunk boundaries. */
export class Prng {
  private state: number;
  constructor(seed: number) { this.state = seed >>> 0; }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** Integer in [min, max]. */
  int(min: number, max: number): number { return min + Math.floor(this.next() * (max - min + 1)); }
  chance(probability: number): boolean { return this.next() < probability; }
}

// The real service rejects thinking blocks whose text was changed; the stand-in signs its own
// thinking so that a client that edits or re-orders it is caught the same way.
const SIGNING_KEY = 'aiml-standin-thinking';
export const SIGNATURE_PREFIX = 'standin1.';

export function signThinking(thinking: string): string {
  return SIGNATURE_PREFIX + createHmac('sha256', SIGNING_KEY).update(thinking).digest('base64');
}

/** False only for a stand-in signature that does not match; foreign signatures are accepted. */
export function thinkingSignatureValid(thinking: string, signature: string): boolean {
  if (!signature.startsWith(SIGNATURE_PREFIX)) return signature.length > 0;
  return signature === signThinking(thinking);
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
