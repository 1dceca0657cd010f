// Shared helpers of the API unit tests: recorded fixtures, a replay of bytes through the decoder,
// event parser and accumulator (the same path the client takes), and a loopback HTTP server.
import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { AimlApiError } from '../../../src/core/api/errors';
import { parseStreamEvent } from '../../../src/core/api/events';
import type { ApiLogger } from '../../../src/core/api/logger';
import { UnknownTypeReporter } from '../../../src/core/api/schemas';
import { SseDecoder } from '../../../src/core/api/sse';
import type { ApiMessage, StreamEvent } from '../../../src/core/api/types';
import { MessageAccumulator } from '../../../src/core/stream/accumulator';

export const FIXTURE_DIR = join(__dirname, '..', '..', 'fixtures', 'sse');

export function fixtureNames(): string[] {
  return readdirSync(FIXTURE_DIR).filter((name) => name.endsWith('.sse')).map((name) => name.slice(0, -4)).sort();
}

export function fixtureBytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(FIXTURE_DIR, `${name}.sse`)));
}

export interface ReplayResult {
  events: StreamEvent[];
  message?: ApiMessage;
  partial?: ApiMessage;
  error?: unknown;
  complete: boolean;
}

export class CapturingLogger implements ApiLogger {
  readonly lines: string[] = [];
  debug(message: string): void { this.lines.push(`debug: ${message}`); }
  warn(message: string): void { this.lines.push(`warn: ${message}`); }
}

/** Feeds the chunks through decoder -> event parser -> accumulator, as the client does. */
export function replay(chunks: Iterable<Uint8Array>, logger: ApiLogger = new CapturingLogger(), maxEventChars?: number): ReplayResult {
  const decoder = new SseDecoder(maxEventChars);
  const accumulator = new MessageAccumulator();
  const context = { reporter: new UnknownTypeReporter(logger), secrets: [] };
  const events: StreamEvent[] = [];
  const handle = (raw: { event?: string; data: string }) => {
    const event = parseStreamEvent(raw, context);
    if (!event) return;
    events.push(event);
    accumulator.apply(event);
  };
  try {
    for (const chunk of chunks) {
      for (const raw of decoder.push(chunk)) handle(raw);
      decoder.checkLimit();
    }
    for (const raw of decoder.end()) handle(raw);
  } catch (error) {
    return { events, error, partial: accumulator.partial(), complete: false };
  }
  return { events, message: accumulator.isComplete ? accumulator.final() : undefined, partial: accumulator.partial(), complete: accumulator.isComplete };
}

export type Handler = (request: IncomingMessage, response: ServerResponse, body: string) => void;

export interface LoopbackServer {
  url: string;
  server: Server;
  requests: Array<{ method?: string; url?: string; headers: IncomingMessage['headers']; body: string }>;
  close(): Promise<void>;
}

/** A node:http server on 127.0.0.1 with a random port; `handle` answers each request. */
export async function startLoopback(handle: Handler): Promise<LoopbackServer> {
  const requests: LoopbackServer['requests'] = [];
  const server = createServer((request, response) => {
    const parts: Buffer[] = [];
    request.on('data', (chunk: Buffer) => parts.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(parts).toString('utf8');
      requests.push({ method: request.method, url: request.url, headers: request.headers, body });
      handle(request, response, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    requests,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** The AimlApiError a promise rejects with; fails the test when it resolves or throws something else. */
export async function rejection(promise: Promise<unknown>): Promise<AimlApiError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof AimlApiError, `not an AimlApiError: ${String(error)}`);
    return error;
  }
  assert.fail('expected a rejection');
}
