// Writes a response the way a network delivers it: cut into chunks at awkward places (inside
// multi-byte UTF-8 characters, between CR and LF), optionally slowly. A client's SSE decoding is
// only proven when it survives these splits.
import type { ServerResponse } from 'node:http';
import type { SseEvent } from './events';
import type { Chunking } from './types';
import { Prng, sleep } from './util';

export function serializeEvents(events: SseEvent[], lineEnding: '\n' | '\r\n'): string {
  return events.map((e) => `event: ${e.event}${lineEnding}data: ${typeof e.data === 'string' ? e.data : JSON.stringify(e.data)}${lineEnding}${lineEnding}`).join('');
}

function isAwkwardBoundary(bytes: Buffer, at: number): boolean {
  const byte = bytes[at];
  const insideUtf8 = (byte & 0xc0) === 0x80;
  const betweenCrLf = bytes[at - 1] === 0x0d && byte === 0x0a;
  return insideUtf8 || betweenCrLf;
}

/** Cuts bytes into write-sized chunks; `random` favours boundaries inside characters and CRLFs. */
export function chunkBytes(bytes: Buffer, mode: Chunking, prng: Prng): Buffer[] {
  if (mode === 'none' || bytes.length === 0) return [bytes];
  if (mode === 'bytewise') return Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1));
  const chunks: Buffer[] = [];
  let position = 0;
  while (position < bytes.length) {
    const roll = prng.next();
    let size = roll < 0.7 ? prng.int(1, 16) : roll < 0.95 ? prng.int(17, 200) : prng.int(201, 2000);
    if (prng.chance(0.5)) {
      // Look a little further for an awkward place and cut there instead.
      for (let at = position + 1; at < Math.min(bytes.length, position + size + 24); at++) {
        if (isAwkwardBoundary(bytes, at)) { size = at - position; break; }
      }
    }
    chunks.push(bytes.subarray(position, position + size));
    position += size;
  }
  return chunks;
}

const MERGE_AFTER_BYTES = 64 * 1024;
const MERGED_WRITE_BYTES = 2048;

export interface WriteOptions {
  delayMs?: number;
  /** Keep every chunk as its own write even in long responses (the slowTrickle fault). */
  keepSmallChunks?: boolean;
  signal?: { aborted: boolean };
}

/**
 * Past the first 64 KB of a response, small chunks are merged into writes of about
 * 2 KB: every write still ends at one of the awkward boundaries, but a 1 MB stream then takes a
 * few hundred writes instead of tens of thousands (which cost seconds in a test process, or
 * minutes with a token delay in the sandbox).
 */
function mergeTail(chunks: Buffer[]): Buffer[] {
  const out: Buffer[] = [];
  let written = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  for (const chunk of chunks) {
    if (written < MERGE_AFTER_BYTES) { out.push(chunk); written += chunk.length; continue; }
    pending.push(chunk);
    pendingBytes += chunk.length;
    if (pendingBytes >= MERGED_WRITE_BYTES) { out.push(Buffer.concat(pending)); pending = []; pendingBytes = 0; }
  }
  if (pending.length) out.push(Buffer.concat(pending));
  return out;
}

/** Writes chunks one by one, honouring backpressure; stops quietly when the client went away. */
export async function writeChunks(res: ServerResponse, chunks: Buffer[], options: WriteOptions = {}): Promise<boolean> {
  const writes = options.keepSmallChunks ? chunks : mergeTail(chunks);
  for (const chunk of writes) {
    if (res.destroyed || res.writableEnded || options.signal?.aborted) return false;
    const flushed = res.write(chunk);
    if (!flushed) await new Promise<void>((resolve) => { res.once('drain', resolve); res.once('close', resolve); });
    // Yielding between writes lets each chunk leave as its own packet instead of being coalesced.
    if (options.delayMs) await sleep(options.delayMs);
    else await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return !res.destroyed;
}
