// The client handles the events of one network chunk as a batch (SseDecoder.push returns them all).
// Within a batch it must behave as if the events came one by one: an abort or an error event stops
// it at that event, and nothing after it reaches the answer.
import { strict as assert } from 'node:assert';
import { MessagesClient } from '../../../src/core/api/client';
import type { MessagesRequest } from '../../../src/core/api/types';
import { rejection, startLoopback, type LoopbackServer } from './helpers';

const request: MessagesRequest = { model: 'claude-sonnet-4-6', max_tokens: 1024, messages: [{ role: 'user', content: 'Hi' }] };
const event = (name: string, data: unknown) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
const head = event('message_start', { type: 'message_start', message: { id: 'msg_b', type: 'message', role: 'assistant', model: 'claude-sonnet-4-6', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 } } })
  + event('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
const delta = (text: string) => event('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } });

describe('MessagesClient: the events of one chunk', () => {
  let server: LoopbackServer | undefined;
  afterEach(async () => { await server?.close(); server = undefined; });

  async function serveOneChunk(body: string): Promise<MessagesClient> {
    server = await startLoopback((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(body); // one write: every event arrives in the same chunk; the stream stays open
    });
    return new MessagesClient({ baseUrl: server.url, apiKey: 'k', maxRetries: 0 });
  }

  it('an abort during the first delta of a chunk stops before the next delta of the same chunk', async () => {
    const client = await serveOneChunk(head + ['A', 'B', 'C', 'D'].map(delta).join(''));
    const controller = new AbortController();
    const seen: string[] = [];
    const error = await rejection(client.stream(request, { signal: controller.signal, onEvent: (streamed) => {
      if (streamed.type === 'content_block_delta' && streamed.delta.type === 'text_delta') {
        seen.push(streamed.delta.text);
        controller.abort();
      }
    } }));
    assert.equal(error.kind, 'aborted');
    assert.deepEqual(seen, ['A']);
    assert.equal((error.partial?.content[0] as { text: string }).text, 'A');
  });

  it('an error event in the middle of a chunk fails with its error; the deltas after it are not applied', async () => {
    const client = await serveOneChunk(head + delta('A') + event('error', { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }) + delta('B'));
    const error = await rejection(client.stream(request));
    assert.equal(error.kind, 'overloaded');
    assert.equal((error.partial?.content[0] as { text: string }).text, 'A');
  });

  it('a malformed event in the middle of a chunk: malformed_response, the text before it kept', async () => {
    const client = await serveOneChunk(head + delta('A') + 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":5}}\n\n' + delta('B'));
    const error = await rejection(client.stream(request));
    assert.equal(error.kind, 'malformed_response');
    assert.equal((error.partial?.content[0] as { text: string }).text, 'A');
  });
});
