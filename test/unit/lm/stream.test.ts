// Streamed events -> language-model response parts: recorded streams replayed event by event, and
// a whole tool round trip through the real client against the stand-in on loopback.
import * as assert from 'node:assert/strict';
import { MessagesClient } from '../../../src/core/api/client';
import type { StreamEvent } from '../../../src/core/api/types';
import { MessageAccumulator } from '../../../src/core/stream/accumulator';
import { buildLmRequest, type LmRequestSettings } from '../../../src/core/lm/request';
import { LmStreamMapper } from '../../../src/core/lm/stream';
import { ToolNameMap } from '../../../src/core/lm/toolNames';
import type { LmMessage, LmOutputPart } from '../../../src/core/lm/types';
import { startStandIn, type StandIn } from '../../support/standin';
import { fixtureBytes, replay } from '../api/helpers';

function mapEvents(events: StreamEvent[], names = new ToolNameMap([])): LmOutputPart[] {
  const accumulator = new MessageAccumulator();
  const mapper = new LmStreamMapper(names);
  const parts: LmOutputPart[] = [];
  for (const event of events) {
    accumulator.apply(event);
    parts.push(...mapper.map(event, accumulator.snapshot!));
  }
  return parts;
}

const textOf = (parts: LmOutputPart[]) => parts.filter((p) => p.kind === 'text').map((p) => (p as { value: string }).value).join('');

describe('language-model stream mapping', () => {
  it('reports text as it streams, one part per delta', () => {
    const { events, message } = replay([fixtureBytes('text-answer')]);
    const parts = mapEvents(events);
    assert.ok(parts.length > 1, 'several text parts');
    assert.ok(parts.every((p) => p.kind === 'text'));
    const expected = message!.content.map((b) => (b as { text?: string }).text ?? '').join('');
    assert.equal(textOf(parts), expected);
  });

  it('reports a tool call once, after its block stopped, with the whole input parsed', () => {
    const { events, message } = replay([fixtureBytes('tool-use')]);
    const parts = mapEvents(events);
    const calls = parts.filter((p) => p.kind === 'toolCall');
    assert.equal(calls.length, 1);
    const block = message!.content.find((b) => b.type === 'tool_use') as { id: string; name: string; input: object };
    assert.deepEqual(calls[0], { kind: 'toolCall', callId: block.id, name: 'write_file', input: block.input });
    assert.match(JSON.stringify(calls[0]), /nïcødé/);
    // Text before the call is reported before it.
    assert.equal(parts.at(-1)?.kind, 'toolCall');
  });

  it('reports parallel tool calls in order, mapping renamed tools back', () => {
    const { events, message } = replay([fixtureBytes('parallel-tool-use')]);
    const apiNames = message!.content.filter((b) => b.type === 'tool_use').map((b) => (b as { name: string }).name);
    // 'read/file' is sent as 'read_file': the model's call must come back under the caller's name.
    const callerNames = apiNames.map((n) => n.replace('_', '/'));
    const names = new ToolNameMap(callerNames);
    const calls = mapEvents(events, names).filter((p) => p.kind === 'toolCall');
    assert.equal(calls.length, apiNames.length);
    assert.ok(calls.length >= 2);
    assert.deepEqual(calls.map((c) => (c as { name: string }).name), callerNames);
  });

  it('reports thinking as it streams and its signature when the block ends', () => {
    const { events, message } = replay([fixtureBytes('thinking')]);
    const parts = mapEvents(events);
    const thinking = parts.filter((p) => p.kind === 'thinking') as Extract<LmOutputPart, { kind: 'thinking' }>[];
    const block = message!.content.find((b) => b.type === 'thinking') as { thinking: string; signature: string };
    assert.equal(thinking.map((p) => p.value).join(''), block.thinking);
    assert.equal(thinking.at(-1)?.signature, block.signature);
    assert.ok(parts.findIndex((p) => p.kind === 'text') > parts.findIndex((p) => p.kind === 'thinking'));
  });

  it('reports redacted thinking as opaque data', () => {
    const { events, message } = replay([fixtureBytes('redacted-thinking')]);
    const block = message!.content.find((b) => b.type === 'redacted_thinking') as { data: string };
    const redacted = mapEvents(events).filter((p) => p.kind === 'thinking' && p.redactedData);
    assert.deepEqual(redacted, [{ kind: 'thinking', value: '', redactedData: block.data }]);
  });

  describe('against the stand-in', function () {
    this.timeout(20_000);
    let standIn: StandIn;
    const settings: LmRequestSettings = {
      model: 'claude-sonnet-4-6', acceptsSampling: true, maxTokens: 2048, maxOutputTokens: 64_000, temperature: null,
      thinking: { enabled: false, budgetTokens: 1024 }, promptCaching: true,
    };
    before(async () => { standIn = await startStandIn({ apiKey: 'test-key', tokenDelayMs: 0 }); });
    after(async () => { await standIn.close(); });

    async function send(messages: LmMessage[], tools: { name: string; description: string; inputSchema?: object }[]) {
      const client = new MessagesClient({ baseUrl: standIn.url, apiKey: 'test-key', maxRetries: 0 });
      const built = await buildLmRequest(messages, { tools }, settings);
      const mapper = new LmStreamMapper(built.toolNames);
      const parts: LmOutputPart[] = [];
      const final = await client.stream(built.request, { onEvent: (event, snapshot) => parts.push(...mapper.map(event, snapshot)) });
      return { parts, final };
    }

    it('runs a tool round trip: the call comes back as a part, its result is quoted by the next answer', async () => {
      const tools = [{ name: 'workspace.read', description: 'Reads a file', inputSchema: { type: 'object', properties: { path: { type: 'string' } } } }];
      const prompt: LmMessage = { role: 'user', parts: [{ kind: 'text', value: 'Please read notes.md' }] };
      const first = await send([prompt], tools);
      const call = first.parts.find((p) => p.kind === 'toolCall') as Extract<LmOutputPart, { kind: 'toolCall' }>;
      assert.ok(call, JSON.stringify(first.parts));
      assert.equal(call.name, 'workspace.read');
      assert.deepEqual(call.input, { path: 'notes.md' });
      assert.equal(first.final.stop_reason, 'tool_use');

      const second = await send([
        prompt,
        { role: 'assistant', parts: [...first.parts.filter((p) => p.kind === 'text'), call] },
        { role: 'user', parts: [{ kind: 'toolResult', callId: call.callId, content: [{ kind: 'text', value: 'NOTES-CONTENT-42' }] }] },
      ], tools);
      assert.match(textOf(second.parts), /NOTES-CONTENT-42/);
      assert.equal(typeof second.final.meta?.usage?.usd_spent, 'number');
    });
  });
});
