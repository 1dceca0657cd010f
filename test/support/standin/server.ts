// The stand-in's HTTP server: routing, body limits, auth, recording, and the /__standin control
// endpoints through which out-of-process tests (a VS Code host, a browser) drive it.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { BatchStore } from './batches';
import { catalogueBody, newGatewayState, setTracingHeaders } from './gateway';
import { handleMessages, type MessagesContext } from './messages';
import { sendApiError, sendGatewayError, sendJson } from './responses';
import { applyLimits, applyToolChoice, outputChars, planFromPrompt, scenarioNames } from './scenarios';
import { warmUpValidation } from './schema';
import { faultNames, type RecordedRequest, type ScriptStep, type StandIn, type StandInOptions } from './types';
import { wholeMessage } from './events';
import { PromptCache } from './usage';
import { newId, Prng } from './util';

export const MAX_REQUEST_BYTES = 32 * 1024 * 1024;
const DEFAULT_SEED = 0x5eed;

class TooLarge extends Error {}

function readBody(req: IncomingMessage): Promise<string> {
  // An oversized body is drained (not kept) before the 413 goes out: answering and closing while
  // the client is still uploading makes the client see a reset instead of the answer.
  return new Promise((resolve, reject) => {
    let tooLarge = Number(req.headers['content-length'] ?? 0) > MAX_REQUEST_BYTES;
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) tooLarge = true;
      if (tooLarge) chunks.length = 0;
      else chunks.push(chunk);
    });
    req.on('end', () => (tooLarge ? reject(new TooLarge()) : resolve(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', reject);
  });
}

function parseLoose(text: string): unknown {
  if (!text) return undefined;
  try { return JSON.parse(text); } catch { return text; }
}

/** Checks an enqueue body (an array, one step, or `{steps}`); returns the steps or what is wrong. */
export function parseSteps(body: unknown): ScriptStep[] | string {
  const steps = Array.isArray(body) ? body : (body as { steps?: unknown } | undefined)?.steps ?? (body ? [body] : []);
  if (!Array.isArray(steps)) return 'Expected a JSON array of steps.';
  for (const [index, raw] of steps.entries()) {
    const problem = stepProblem(raw as Record<string, unknown> | null);
    if (problem) return `steps.${index}${problem}`;
  }
  return steps as ScriptStep[];
}

function stepProblem(step: Record<string, unknown> | null): string | undefined {
  const isString = (value: unknown) => typeof value === 'string';
  switch (step?.kind) {
    case 'text': return isString(step.text) ? undefined : '.text: expected a string.';
    case 'thinking': return isString(step.text) && isString(step.thinking) ? undefined : ': expected string thinking and text.';
    case 'scenario': return (scenarioNames as readonly unknown[]).includes(step.name) ? undefined : `.name: expected one of ${scenarioNames.join(', ')}.`;
    case 'fault': return (faultNames as readonly unknown[]).includes(step.fault) ? undefined : `.fault: expected one of ${faultNames.join(', ')}.`;
    case 'toolUse': {
      const calls = step.calls;
      const valid = Array.isArray(calls) && calls.length > 0 && calls.every((call) => isString((call as { name?: unknown } | null)?.name));
      return valid ? undefined : '.calls: expected a non-empty array of {name, input, id?}.';
    }
    default: return '.kind: expected one of text, toolUse, thinking, fault, scenario.';
  }
}

export async function startStandIn(options: StandInOptions = {}): Promise<StandIn> {
  const host = options.host ?? '127.0.0.1';
  const apiKey = options.apiKey ?? 'test-key';
  const log = options.log ?? (() => undefined);
  const queue: ScriptStep[] = [];
  const requests: RecordedRequest[] = [];
  const gateway = newGatewayState();
  const sockets = new Set<Socket>();
  const context: MessagesContext = {
    chunking: options.chunking ?? 'random',
    lineEnding: options.lineEnding ?? 'random',
    prng: new Prng(options.seed ?? DEFAULT_SEED),
    latencyMs: options.latencyMs ?? 0,
    tokenDelayMs: options.tokenDelayMs ?? 0,
    maxTextDelta: options.maxTextDelta ?? 24,
    trickleMs: options.trickleMs ?? 200,
    promptCache: new PromptCache(),
    firedOnce: new Set(),
    log,
  };
  const batches = new BatchStore({ pollsPerRequest: options.batchPollsPerRequest, stepMs: options.batchStepMs }, (request) => {
    const plan = applyLimits(applyToolChoice(planFromPrompt(request), request), request);
    const usage = { ...context.promptCache.account(request), output_tokens: Math.max(1, Math.ceil(outputChars(plan) / 4)) };
    return wholeMessage(plan, { messageId: newId('msg_01'), model: request.model, usage });
  });
  // Compile the schema now, not during the first request (it takes a second or two).
  warmUpValidation();

  const keyMatches = (header: string | undefined): boolean | undefined => {
    if (header === undefined) return undefined;
    const match = /^Bearer\s+(.+)$/i.exec(header.trim());
    if (!match) return false;
    return options.anyKey ? match[1].trim().length > 0 : match[1] === apiKey;
  };

  const record = (req: IncomingMessage, path: string, body: unknown): RecordedRequest => {
    const authMatched = keyMatches(req.headers.authorization);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined) continue;
      headers[name] = name === 'authorization' ? `[redacted: ${authMatched ? 'matched' : 'mismatched'}]` : Array.isArray(value) ? value.join(', ') : value;
    }
    const entry: RecordedRequest = { method: req.method ?? 'GET', path, headers, authMatched, body, time: Date.now() };
    requests.push(entry);
    return entry;
  };

  /** Control: `{balanceUsd?, modelsBody?: string | null, modelsStatus?}`. */
  const updateGateway = (body: unknown): string | undefined => {
    const change = (body ?? {}) as Partial<Record<keyof typeof gateway, unknown>>;
    if (change.balanceUsd !== undefined && typeof change.balanceUsd !== 'number') return 'balanceUsd: expected a number.';
    if (change.modelsBody !== undefined && change.modelsBody !== null && typeof change.modelsBody !== 'string') return 'modelsBody: expected a string or null.';
    if (change.modelsStatus !== undefined && typeof change.modelsStatus !== 'number') return 'modelsStatus: expected a number.';
    Object.assign(gateway, change);
    return undefined;
  };

  const reset = () => {
    Object.assign(gateway, newGatewayState());
    queue.length = 0;
    requests.length = 0;
    context.promptCache.clear();
    context.firedOnce.clear();
    batches.clear();
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = newId('req_011');
    res.setHeader('request-id', requestId);
    res.setHeader('x-request-id', requestId);
    // Browser-driven tests call the control endpoints from a page.
    res.setHeader('access-control-allow-origin', '*');
    res.setHeader('access-control-expose-headers', 'request-id, x-request-id, retry-after, retry-after-ms, x-inference-id, x-client-request-id, x-aimlapi-credits-used, x-aimlapi-usd-spent');
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { 'access-control-allow-methods': 'GET, POST, OPTIONS', 'access-control-allow-headers': 'authorization, content-type, anthropic-version, x-api-key, x-client-request-id' });
      res.end();
      return;
    }
    const url = new URL(req.url ?? '/', 'http://standin.local');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const baseUrl = `http://${req.headers.host ?? `${host}:${port}`}`;

    let rawBody: string;
    try {
      rawBody = await readBody(req);
    } catch (error) {
      if (!(error instanceof TooLarge)) throw error;
      record(req, path, '[body over 32 MB, not kept]');
      res.setHeader('connection', 'close');
      return sendApiError(res, 413, 'request_too_large', `Request exceeds the maximum allowed number of bytes (${MAX_REQUEST_BYTES}).`, requestId);
    }

    if (path.startsWith('/__standin/')) return handleControl(req, res, path, rawBody);
    record(req, path + url.search, parseLoose(rawBody));
    log(`${req.method} ${path}`);
    setTracingHeaders(req, res);

    // The model catalogue needs no key (the docs: "No API key is required for this request").
    if (req.method === 'GET' && (path === '/models' || path === '/v1/models')) {
      if (gateway.modelsBody === null) return sendJson(res, gateway.modelsStatus, catalogueBody(url.searchParams.get('include')));
      res.writeHead(gateway.modelsStatus, { 'content-type': 'application/json' });
      res.end(gateway.modelsBody);
      return;
    }

    const authMatched = keyMatches(req.headers.authorization);
    const isMessages = path === '/v1/messages' || path === '/messages';
    const isBatches = path === '/v1/batches' || path.startsWith('/v1/batches/');
    const isBilling = path === '/v2/billing';
    if (!isMessages && !isBatches && !isBilling) return sendApiError(res, 404, 'not_found_error', `Not found: ${req.method} ${path}`, requestId);
    if (!authMatched) {
      const message = req.headers.authorization === undefined ? 'Missing Authorization header (expected "Authorization: Bearer <key>")' : 'Invalid token';
      return sendGatewayError(res, 401, message, path, requestId);
    }
    if (isBilling) {
      if (req.method !== 'GET') return sendApiError(res, 405, 'invalid_request_error', `Method ${req.method} not allowed on ${path}; use GET.`, requestId);
      return sendJson(res, 200, { current_balance: gateway.balanceUsd, currency: 'USD' });
    }
    if (isMessages) {
      if (req.method !== 'POST') return sendApiError(res, 405, 'invalid_request_error', `Method ${req.method} not allowed on ${path}; use POST.`, requestId);
      return handleMessages({ req, res, path, requestId, rawBody, step: queue.shift() }, context);
    }
    return handleBatches(req, res, path, url.searchParams, rawBody, baseUrl, requestId);
  }

  // The gateway's documented batch API only: create, the one read by query parameter (status while
  // the batch runs, JSON lines once it has ended) and cancel. Anthropic's paths answer 404.
  function handleBatches(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams, rawBody: string, baseUrl: string, requestId: string): void {
    const parts = path.split('/').slice(3).map(decodeURIComponent); // after /v1/batches
    const reply = (() => {
      if (req.method === 'POST' && parts.length === 0) {
        const body = parseLoose(rawBody);
        if (typeof body !== 'object') return { status: 400, errorType: 'invalid_request_error', message: 'Request body must be a JSON object.' };
        return batches.create(body, baseUrl);
      }
      if (req.method === 'GET' && parts.length === 0) {
        const id = query.get('batch_id');
        if (!id) return { status: 400, errorType: 'invalid_request_error', message: 'batch_id: the query parameter batch_id is required.' };
        return batches.read(id, baseUrl);
      }
      if (req.method === 'POST' && parts.length === 2 && parts[0] === 'cancel') return batches.cancel(parts[1], baseUrl);
      return { status: 404, errorType: 'not_found_error', message: `Not found: ${req.method} ${path}` };
    })();
    if ('errorType' in reply) return sendApiError(res, reply.status, reply.errorType, reply.message, requestId);
    if (reply.contentType) {
      res.writeHead(reply.status, { 'content-type': reply.contentType });
      res.end(reply.body as string);
      return;
    }
    sendJson(res, reply.status, reply.body);
  }

  function handleControl(req: IncomingMessage, res: ServerResponse, path: string, rawBody: string): void {
    if (req.method === 'GET' && path === '/__standin/health') return sendJson(res, 200, { ok: true, queued: queue.length, requests: requests.length });
    if (req.method === 'GET' && path === '/__standin/requests') return sendJson(res, 200, requests);
    if (req.method === 'POST' && path === '/__standin/reset') { reset(); return sendJson(res, 200, { ok: true }); }
    if (req.method === 'POST' && path === '/__standin/gateway') {
      const problem = updateGateway(parseLoose(rawBody));
      return problem ? sendJson(res, 400, { ok: false, error: problem }) : sendJson(res, 200, { ok: true, ...gateway });
    }
    if (req.method === 'POST' && path === '/__standin/enqueue') {
      const steps = parseSteps(parseLoose(rawBody));
      if (typeof steps === 'string') return sendJson(res, 400, { ok: false, error: steps });
      queue.push(...steps);
      return sendJson(res, 200, { ok: true, queued: queue.length });
    }
    sendJson(res, 404, { ok: false, error: `No control endpoint ${req.method} ${path}` });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log(`stand-in error: ${(error as Error).stack ?? String(error)}`);
      if (!res.headersSent) sendApiError(res, 500, 'api_error', `Stand-in failure: ${(error as Error).message}`, String(res.getHeader('request-id')));
      else res.destroy();
    });
  });
  // Node closes an idle keep-alive socket after 5 s and tells the client so; a client whose event loop
  // is blocked past that moment (e.g. building a 33 MB body on a loaded machine) then writes into a
  // socket the server has just closed and sees ECONNRESET. 30 s takes that race out of the tests.
  server.keepAliveTimeout = 30_000;
  server.on('connection', (socket) => { sockets.add(socket); socket.on('close', () => sockets.delete(socket)); });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://${host}:${port}`,
    port,
    requests,
    enqueue: (...steps: ScriptStep[]) => { queue.push(...steps); },
    setGateway: (change) => { const problem = updateGateway(change); if (problem) throw new Error(problem); },
    reset,
    close: () => new Promise<void>((resolve) => {
      // Hanging and streaming responses keep sockets open; close() must not wait for them.
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}
