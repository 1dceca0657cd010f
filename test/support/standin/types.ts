// Public types of the local AIML API stand-in. Kept apart from the server so that tests running
// out of process (a VS Code host, a browser) can import the shapes without starting anything.

export const faultNames = [
  'http429', 'http529', 'http500', 'http401', 'http403',
  'midStreamError', 'dropMidStream', 'noMessageStop', 'slowTrickle', 'hang', 'malformedJson',
  // Hostile gateways: a stream that never ends a line, one byte every trickleMs, a huge error body.
  'noLineBreaks', 'byteTrickle', 'hugeErrorBody',
  // A gateway that echoes the request's Authorization / x-api-key headers in a 400 error body.
  'echoKey',
] as const;
export type FaultName = (typeof faultNames)[number];

export interface ScriptedToolCall { name: string; input: unknown; id?: string }

/** One scripted behaviour for the next /v1/messages request (consumed FIFO, one per request). */
export type ScriptStep =
  | { kind: 'text'; text: string; stopReason?: string }
  | { kind: 'toolUse'; calls: ScriptedToolCall[]; text?: string }
  | { kind: 'thinking'; thinking: string; text: string }
  | { kind: 'fault'; fault: FaultName; retryAfterSeconds?: number; afterChars?: number }
  | { kind: 'scenario'; name: string };

export interface RecordedRequest {
  method: string;
  path: string;
  /** Lower-case header names. `authorization` is replaced by `[redacted: matched]` or `[redacted: mismatched]`. */
  headers: Record<string, string>;
  /** Whether the Authorization header carried an accepted key (undefined when absent). */
  authMatched?: boolean;
  /** Parsed JSON body, the raw text when it was not JSON, or undefined for an empty body. */
  body: unknown;
  /** Milliseconds since the epoch when the request arrived. */
  time: number;
}

export type Chunking = 'random' | 'none' | 'bytewise';
export type LineEnding = 'lf' | 'crlf' | 'random';

export interface StandInOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Defaults to 127.0.0.1: the stand-in never listens beyond loopback unless told to. */
  host?: string;
  /** The accepted key; default `test-key`. */
  apiKey?: string;
  /** Accept any non-empty key (the developer sandbox). */
  anyKey?: boolean;
  /** How response bytes are cut into writes; default `random`. */
  chunking?: Chunking;
  /** Seed of the PRNG behind chunk sizes, delta sizes and line endings; default 0x5eed. */
  seed?: number;
  /** Delay before the response headers of /v1/messages. */
  latencyMs?: number;
  /** Delay between two writes of a streamed response (to watch it stream). */
  tokenDelayMs?: number;
  /** Largest text delta in characters (deltas are 1 to this, at random); default 24. */
  maxTextDelta?: number;
  /** SSE line endings; `random` (the default) uses CRLF for about a third of the responses. */
  lineEnding?: LineEnding;
  /** Interval of the slowTrickle fault; default 200 ms. */
  trickleMs?: number;
  /** A batch finishes one request per this many status polls; default 1. */
  batchPollsPerRequest?: number;
  /** When set, a batch finishes one request per this many milliseconds instead of per poll. */
  batchStepMs?: number;
  log?: (line: string) => void;
}

export interface StandIn {
  url: string;
  port: number;
  requests: RecordedRequest[];
  close(): Promise<void>;
  /** Queues behaviours for the next /v1/messages requests (FIFO); when empty, scenarios are picked from the prompt. */
  enqueue(...steps: ScriptStep[]): void;
  /** Sets the balance /v2/billing answers, or a raw (bad, huge) body or status for /models. */
  setGateway(change: { balanceUsd?: number; modelsBody?: string | null; modelsStatus?: number }): void;
  /** Forgets queued steps, recorded requests, the prompt cache, batches and gateway changes. */
  reset(): void;
}
