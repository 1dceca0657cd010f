// Faults on demand: HTTP errors before any byte of the answer, and broken streams after a 200.
// Each one is something a real network or gateway does and the client must handle gracefully.
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { eventsUntilTextChars, type SseEvent } from './events';
import { sendApiError, sendGatewayError } from './responses';
import type { FaultName } from './types';

export const DEFAULT_FAULT_AFTER_CHARS = 40;
export const DEFAULT_RETRY_AFTER_SECONDS = 1;

export interface FaultSpec { fault: FaultName; retryAfterSeconds?: number; afterChars?: number }

const responseFaults = new Set<FaultName>(['http429', 'http529', 'http500', 'http401', 'http403', 'hang', 'noLineBreaks', 'hugeErrorBody', 'echoKey']);

/** How much the endless faults send at most, if the client never stops reading. */
export const HOSTILE_BODY_BYTES = 256 * 1024 * 1024;
const HOSTILE_WRITE_BYTES = 64 * 1024;

/** Faults that replace the whole response (no answer content is needed). */
export function isResponseFault(fault: FaultName): boolean {
  return responseFaults.has(fault);
}

/**
 * Sends an HTTP-level fault; `hang` sends nothing and leaves the socket open until close().
 * `log` hears how many bytes the endless faults wrote before the client went away.
 */
export function sendResponseFault(res: ServerResponse, spec: FaultSpec, requestId: string, path: string, log: (line: string) => void = () => undefined, headers: IncomingHttpHeaders = {}): void {
  switch (spec.fault) {
    case 'http429': {
      const seconds = spec.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS;
      sendApiError(res, 429, 'rate_limit_error', 'Number of request tokens has exceeded your per-minute rate limit (stand-in fault http429).', requestId, {
        'retry-after': String(Math.ceil(seconds)),
        'retry-after-ms': String(Math.round(seconds * 1000)),
      });
      return;
    }
    case 'http529':
      sendApiError(res, 529, 'overloaded_error', 'Overloaded', requestId);
      return;
    case 'http500':
      sendApiError(res, 500, 'api_error', 'Internal server error (stand-in fault http500).', requestId);
      return;
    case 'http401':
      sendGatewayError(res, 401, 'Invalid token', path, requestId);
      return;
    case 'http403':
      sendGatewayError(res, 403, 'You have run out of credits. Please top up your balance to continue using the API.', path, requestId);
      return;
    case 'echoKey':
      // A careless gateway or proxy quoting the credentials back: the client must never show or log them.
      sendApiError(res, 400, 'invalid_request_error', `Rejected request (stand-in fault echoKey). Authorization: ${String(headers.authorization ?? '')}; x-api-key: ${String(headers['x-api-key'] ?? '')}`, requestId);
      return;
    case 'hang':
      // Read nothing more, send nothing: the client's own timeout must fire.
      return;
    case 'noLineBreaks':
      // A 200 stream whose one line never ends: a client that buffers it grows without limit.
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8' });
      void writeEndless(res, 'data: {"type":"content_block_delta","text":"', 'x', spec.fault, log);
      return;
    case 'hugeErrorBody':
      // A 500 whose JSON error body goes on for hundreds of megabytes.
      res.writeHead(500, { 'content-type': 'application/json' });
      void writeEndless(res, '{"type":"error","error":{"type":"api_error","message":"Internal server error (stand-in fault hugeErrorBody) ', 'y', spec.fault, log);
      return;
    default:
      throw new Error(`not a response fault: ${spec.fault}`);
  }
}

export interface BrokenStream {
  events: SseEvent[];
  /** Raw text written after the events (an error event, a bad data line). */
  trailer?: string;
  ending: 'end' | 'destroy';
}

/** What a streamed answer turns into under a stream fault (slowTrickle keeps every event). */
export function breakStream(events: SseEvent[], spec: FaultSpec, eol: string): BrokenStream {
  const afterChars = spec.afterChars ?? DEFAULT_FAULT_AFTER_CHARS;
  switch (spec.fault) {
    case 'midStreamError': {
      const error = { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } };
      return { events: eventsUntilTextChars(events, afterChars), trailer: `event: error${eol}data: ${JSON.stringify(error)}${eol}${eol}`, ending: 'end' };
    }
    case 'dropMidStream':
      return { events: eventsUntilTextChars(events, afterChars), ending: 'destroy' };
    case 'noMessageStop':
      return { events: events.filter((e) => e.event !== 'message_stop'), ending: 'end' };
    case 'malformedJson': {
      // A data line cut short, as a broken proxy might deliver it; the stream then goes on.
      const head = eventsUntilTextChars(events, afterChars);
      const bad = { event: 'content_block_delta', data: '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"bro' };
      return { events: [...head, bad, ...events.slice(head.length)], ending: 'end' };
    }
    default:
      return { events, ending: 'end' };
  }
}

/** Writes `head` then `filler` until HOSTILE_BODY_BYTES or the client closes; logs how far it got. */
async function writeEndless(res: ServerResponse, head: string, filler: string, fault: FaultName, log: (line: string) => void): Promise<void> {
  const block = Buffer.from(filler.repeat(HOSTILE_WRITE_BYTES));
  let written = 0;
  res.write(head);
  while (written < HOSTILE_BODY_BYTES && !res.destroyed && !res.writableEnded) {
    written += block.length;
    if (!res.write(block)) await drainedOrClosed(res);
  }
  const finished = written >= HOSTILE_BODY_BYTES;
  log(`${fault}: ${finished ? 'sent' : 'client closed after'} ${written} bytes`);
  if (finished && !res.destroyed) res.end();
}

function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => { res.off('drain', done); res.off('close', done); resolve(); };
    res.on('drain', done);
    res.on('close', done);
  });
}
