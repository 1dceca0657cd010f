// A small client for tests of the stand-in (and of code that drives it): sends requests, decodes
// SSE with eventsource-parser exactly as bytes arrive, and reassembles the streamed message.
import { createParser } from 'eventsource-parser';

export interface ParsedEvent { event: string | undefined; data: string; json?: Record<string, unknown> }

export interface StreamResult {
  status: number;
  headers: Headers;
  events: ParsedEvent[];
  /** Raw byte chunks as they were read from the socket. */
  chunks: Uint8Array[];
  /** Set when the stream broke (socket destroyed) before it ended. */
  error?: Error;
}

export function authHeaders(key = 'test-key'): Record<string, string> {
  return { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
}

export async function postJson(url: string, body: unknown, headers: Record<string, string> = authHeaders()): Promise<Response> {
  return fetch(url, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

/** Reads an SSE response to its end, decoding UTF-8 in streaming mode as a real client must. */
export async function readSse(response: Response): Promise<StreamResult> {
  const events: ParsedEvent[] = [];
  const chunks: Uint8Array[] = [];
  const parser = createParser({
    onEvent: (message) => {
      let json: Record<string, unknown> | undefined;
      try { json = JSON.parse(message.data) as Record<string, unknown>; } catch { json = undefined; }
      events.push({ event: message.event, data: message.data, json });
    },
  });
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const result: StreamResult = { status: response.status, headers: response.headers, events, chunks };
  if (!response.body) return result;
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      parser.feed(decoder.decode(value, { stream: true }));
    }
    parser.feed(decoder.decode());
  } catch (error) {
    result.error = error as Error;
  }
  return result;
}

export interface AssembledMessage {
  message: Record<string, unknown> & { content: Record<string, unknown>[] };
  stopReason: unknown;
  usage: Record<string, unknown>;
  meta: unknown;
  sawMessageStop: boolean;
}

/** Applies the events the way a client accumulator would; tool input is parsed once at block stop. */
export function assemble(events: ParsedEvent[]): AssembledMessage {
  let message: AssembledMessage['message'] | undefined;
  const partialJson = new Map<number, string>();
  let stopReason: unknown;
  let usage: Record<string, unknown> = {};
  let meta: unknown;
  let sawMessageStop = false;
  for (const { json } of events) {
    if (!json) continue;
    const index = json.index as number;
    switch (json.type) {
      case 'message_start':
        message = { ...(json.message as AssembledMessage['message']), content: [] };
        usage = { ...(message.usage as Record<string, unknown>) };
        break;
      case 'content_block_start':
        message!.content[index] = { ...(json.content_block as Record<string, unknown>) };
        break;
      case 'content_block_delta': {
        const block = message!.content[index];
        const delta = json.delta as Record<string, string>;
        if (delta.type === 'text_delta') block.text = String(block.text) + delta.text;
        else if (delta.type === 'thinking_delta') block.thinking = String(block.thinking) + delta.thinking;
        else if (delta.type === 'signature_delta') block.signature = delta.signature;
        else if (delta.type === 'input_json_delta') partialJson.set(index, (partialJson.get(index) ?? '') + delta.partial_json);
        break;
      }
      case 'content_block_stop':
        if (partialJson.has(index)) message!.content[index].input = JSON.parse(partialJson.get(index) || '{}');
        break;
      case 'message_delta':
        stopReason = (json.delta as Record<string, unknown>).stop_reason;
        usage = { ...usage, ...(json.usage as Record<string, unknown>) };
        meta = json.meta;
        break;
      case 'message_stop':
        sawMessageStop = true;
        break;
    }
  }
  if (!message) throw new Error('no message_start event');
  return { message, stopReason, usage, meta, sawMessageStop };
}

export function textOf(message: { content: Record<string, unknown>[] }): string {
  return message.content.filter((b) => b.type === 'text').map((b) => String(b.text)).join('');
}
