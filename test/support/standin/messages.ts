// POST /v1/messages once the request is authenticated: scripted or prompt-picked answer, faults,
// validation, usage, and the streamed or whole response.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { streamEvents, wholeMessage, type AnswerContext } from './events';
import { breakStream, isResponseFault, sendResponseFault, type FaultSpec } from './faults';
import { sendApiError, sendJson } from './responses';
import { costHeaders } from './gateway';
import { applyLimits, applyToolChoice, faultFromPrompt, lastPromptText, outputChars, planFromPrompt, planFromStep, type Plan } from './scenarios';
import { chunkBytes, serializeEvents, writeChunks } from './sse-writer';
import type { Chunking, LineEnding, ScriptStep } from './types';
import type { PromptCache } from './usage';
import { newId, Prng, sha256, sleep } from './util';
import { validateMessagesRequest } from './validate';

export interface MessagesContext {
  chunking: Chunking;
  lineEnding: LineEnding;
  prng: Prng;
  latencyMs: number;
  tokenDelayMs: number;
  maxTextDelta: number;
  trickleMs: number;
  promptCache: PromptCache;
  /** Prompts that already fired a `[[fault:NAME:once]]` directive. */
  firedOnce: Set<string>;
  log: (line: string) => void;
}

export interface MessagesCall { req: IncomingMessage; res: ServerResponse; path: string; requestId: string; rawBody: string; step: ScriptStep | undefined }

export async function handleMessages(call: MessagesCall, context: MessagesContext): Promise<void> {
  const { res, requestId, step } = call;
  if (step?.kind === 'fault' && isResponseFault(step.fault)) return sendResponseFault(res, step, requestId, call.path, context.log, call.req.headers);

  let body: unknown;
  try {
    body = JSON.parse(call.rawBody);
  } catch (error) {
    return sendApiError(res, 400, 'invalid_request_error', `There was an error parsing the body: ${(error as Error).message}`, requestId);
  }
  const checked = validateMessagesRequest(body);
  if (!checked.ok) {
    context.log(`400 ${checked.message}`);
    return sendApiError(res, 400, 'invalid_request_error', checked.message, requestId);
  }
  const request = checked.request;

  let fault: FaultSpec | undefined = step?.kind === 'fault' ? step : undefined;
  const prompt = lastPromptText(request);
  const directive = fault ? undefined : faultFromPrompt(prompt);
  if (directive) {
    const key = sha256(prompt);
    if (!directive.once || !context.firedOnce.has(key)) fault = { fault: directive.fault };
    context.firedOnce.add(key);
  }
  if (fault && isResponseFault(fault.fault)) return sendResponseFault(res, fault, requestId, call.path, context.log, call.req.headers);

  if (context.latencyMs) await sleep(context.latencyMs);
  const planned = step && step.kind !== 'fault' ? planFromStep(step, request) : planFromPrompt(request);
  const plan = applyLimits(applyToolChoice(planned, request), request);
  const answer: AnswerContext = {
    messageId: newId('msg_01'),
    model: request.model,
    usage: { ...context.promptCache.account(request), output_tokens: Math.max(1, Math.ceil(outputChars(plan) / 4)) },
  };
  context.log(`${request.stream ? 'stream' : 'json'} ${plan.blocks.map((b) => b.type).join('+')} -> ${plan.stopReason}${fault ? ` (fault ${fault.fault})` : ''}`);
  if (request.stream) return streamAnswer(res, plan, answer, fault, context);
  return sendWholeAnswer(res, plan, answer, fault, context, requestId);
}

async function streamAnswer(res: ServerResponse, plan: Plan, answer: AnswerContext, fault: FaultSpec | undefined, context: MessagesContext): Promise<void> {
  const crlf = context.lineEnding === 'crlf' || (context.lineEnding === 'random' && context.prng.chance(1 / 3));
  const eol = crlf ? '\r\n' : '\n';
  const events = streamEvents(plan, answer, context.prng, context.maxTextDelta);
  const broken = fault ? breakStream(events, fault, eol) : { events, ending: 'end' as const, trailer: undefined };
  const text = serializeEvents(broken.events, eol) + (broken.trailer ?? '');
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
  res.socket?.setNoDelay(true);
  // slowTrickle: small writes; byteTrickle: one byte per write, so no event completes for a long time.
  const trickle = fault?.fault === 'slowTrickle' || fault?.fault === 'byteTrickle';
  const chunks = fault?.fault === 'byteTrickle'
    ? chunkBytes(Buffer.from(text), 'bytewise', context.prng)
    : trickle ? chunkBytes(Buffer.from(text), 'random', context.prng).flatMap((c) => splitSmall(c, 48)) : chunkBytes(Buffer.from(text), context.chunking, context.prng);
  const completed = await writeChunks(res, chunks, { delayMs: trickle ? context.trickleMs : context.tokenDelayMs, keepSmallChunks: trickle });
  if (!completed) return;
  if (broken.ending === 'destroy') res.destroy();
  else res.end();
}

function splitSmall(chunk: Buffer, max: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < chunk.length; i += max) out.push(chunk.subarray(i, i + max));
  return out;
}

async function sendWholeAnswer(res: ServerResponse, plan: Plan, answer: AnswerContext, fault: FaultSpec | undefined, context: MessagesContext, requestId: string): Promise<void> {
  const message = wholeMessage(plan, answer);
  switch (fault?.fault) {
    case 'midStreamError':
      // Without a stream the same overload shows up as a 529 before any byte.
      return sendApiError(res, 529, 'overloaded_error', 'Overloaded', requestId);
    case 'dropMidStream':
    case 'malformedJson':
    case 'slowTrickle': {
      const text = JSON.stringify(message);
      const cut = fault.fault === 'slowTrickle' ? text.length : Math.floor(text.length / 2);
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunks = splitSmall(Buffer.from(text.slice(0, cut)), fault.fault === 'slowTrickle' ? 48 : 1 << 20);
      const completed = await writeChunks(res, chunks, { delayMs: fault.fault === 'slowTrickle' ? context.trickleMs : 0, keepSmallChunks: fault.fault === 'slowTrickle' });
      if (!completed) return;
      if (fault.fault === 'dropMidStream') res.destroy();
      else res.end();
      return;
    }
    default:
      return sendJson(res, 200, message, costHeaders(message));
  }
}
