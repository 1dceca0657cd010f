// Turns a plan into what the service sends: the list of SSE events of a streamed answer, or the
// whole message JSON of a non-streamed one. Both carry the gateway's `meta.usage` cost figure.
import type { Plan, PlannedBlock } from './scenarios';
import { gatewayUsage, type StandInUsage } from './usage';
import { Prng } from './util';

export interface SseEvent { event: string; data: unknown }

export interface AnswerContext { messageId: string; model: string; usage: StandInUsage }

function startBlock(block: PlannedBlock): Record<string, unknown> {
  switch (block.type) {
    case 'text': return { type: 'text', text: '' };
    case 'thinking': return { type: 'thinking', thinking: '', signature: '' };
    case 'redacted_thinking': return { ...block };
    case 'tool_use': return { type: 'tool_use', id: block.id, name: block.name, input: {} };
  }
}

/** Splits by code points (never inside a surrogate pair): deltas are JSON strings, not bytes. */
function pieces(text: string, prng: Prng, maxPiece: number): string[] {
  const chars = [...text];
  const out: string[] = [];
  for (let i = 0; i < chars.length;) {
    const size = prng.int(1, maxPiece);
    out.push(chars.slice(i, i + size).join(''));
    i += size;
  }
  return out;
}

function deltas(block: PlannedBlock, prng: Prng, maxTextDelta: number): Record<string, unknown>[] {
  switch (block.type) {
    case 'text':
      return pieces(block.text, prng, maxTextDelta).map((text) => ({ type: 'text_delta', text }));
    case 'thinking':
      return [
        ...pieces(block.thinking, prng, 40).map((thinking) => ({ type: 'thinking_delta', thinking })),
        { type: 'signature_delta', signature: block.signature },
      ];
    case 'redacted_thinking':
      return [];
    case 'tool_use': {
      // The service starts with an empty fragment and splits the JSON anywhere, even inside strings.
      const json = JSON.stringify(block.input);
      return ['', ...pieces(json, prng, 12)].map((partial_json) => ({ type: 'input_json_delta', partial_json }));
    }
  }
}

function finalUsage(context: AnswerContext) {
  return { ...context.usage };
}

export function streamEvents(plan: Plan, context: AnswerContext, prng: Prng, maxTextDelta = 24): SseEvent[] {
  const events: SseEvent[] = [];
  const push = (event: string, data: Record<string, unknown>) => events.push({ event, data: { type: event, ...data } });
  push('message_start', {
    message: {
      id: context.messageId, type: 'message', role: 'assistant', model: context.model, content: [],
      stop_reason: null, stop_sequence: null,
      usage: { ...context.usage, output_tokens: Math.min(1, context.usage.output_tokens) },
    },
  });
  push('ping', {});
  plan.blocks.forEach((block, index) => {
    push('content_block_start', { index, content_block: startBlock(block) });
    deltas(block, prng, maxTextDelta).forEach((delta, n) => {
      push('content_block_delta', { index, delta });
      // Pings arrive now and then in real streams; a client must skip them anywhere.
      if (n > 0 && n % 40 === 0) push('ping', {});
    });
    push('content_block_stop', { index });
  });
  push('message_delta', {
    delta: { stop_reason: plan.stopReason, stop_sequence: plan.stopSequence },
    usage: finalUsage(context),
    meta: { usage: gatewayUsage(context.model, context.usage) },
  });
  push('message_stop', {});
  return events;
}

export function wholeMessage(plan: Plan, context: AnswerContext): Record<string, unknown> {
  return {
    id: context.messageId, type: 'message', role: 'assistant', model: context.model,
    content: plan.blocks.map((block) => ({ ...block })),
    stop_reason: plan.stopReason, stop_sequence: plan.stopSequence,
    usage: finalUsage(context),
    meta: { usage: gatewayUsage(context.model, context.usage) },
  };
}

/** The events up to (and including) the delta that brings the streamed text to `chars`. */
export function eventsUntilTextChars(events: SseEvent[], chars: number): SseEvent[] {
  let sent = 0;
  const out: SseEvent[] = [];
  for (const event of events) {
    out.push(event);
    const delta = (event.data as { delta?: { type?: string; text?: string } }).delta;
    if (event.event === 'content_block_delta' && delta?.type === 'text_delta') {
      sent += delta.text?.length ?? 0;
      if (sent >= chars) return out;
    }
    if (event.event === 'message_delta') return out.slice(0, -1);
  }
  return out;
}
