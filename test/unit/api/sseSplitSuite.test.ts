// Adversarial stream suite (docs/SECURITY.md): whatever a network or a proxy does to the bytes, the
// decoder gives the same answer. 1,000 seeded random splits of every recorded stream (and of its
// CRLF twin), cut at byte level with a bias for the inside of multi-byte characters and the gap
// between CR and LF; then malformed and oversized events, each also split at random.
import { strict as assert } from 'node:assert';
import { AimlApiError } from '../../../src/core/api/errors';
import { Prng } from '../../support/standin/util';
import { fixtureBytes, fixtureNames, replay, type ReplayResult } from './helpers';

export const SPLITS_PER_STREAM = 1000;
const encoder = new TextEncoder();

/** Cut points favour the awkward places: inside a UTF-8 sequence, between CR and LF, next to them. */
function randomSplit(bytes: Uint8Array, prng: Prng): Uint8Array[] {
  const awkward: number[] = [];
  for (let i = 1; i < bytes.length; i++) {
    if ((bytes[i] & 0xc0) === 0x80 || (bytes[i - 1] === 0x0d && bytes[i] === 0x0a) || bytes[i] === 0x0a || bytes[i] === 0x0d) awkward.push(i);
  }
  const cuts = new Set<number>();
  const count = prng.int(1, Math.min(64, Math.max(1, bytes.length - 1)));
  for (let i = 0; i < count; i++) cuts.add(awkward.length > 0 && prng.chance(0.6) ? awkward[prng.int(0, awkward.length - 1)] : prng.int(0, bytes.length));
  const sorted = [...cuts].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const cut of sorted) {
    chunks.push(bytes.subarray(start, cut)); // empty chunks too: a reader may deliver them
    start = cut;
  }
  chunks.push(bytes.subarray(start));
  return chunks;
}

const summary = (result: ReplayResult) => JSON.stringify({
  message: result.message,
  partial: result.partial,
  events: result.events.length,
  error: result.error instanceof AimlApiError ? result.error.info : result.error === undefined ? undefined : String(result.error),
});

/** Number of random splits whose result differs from the unsplit one. */
function divergences(bytes: Uint8Array, seed: number, maxEventChars?: number): { count: number; first?: string } {
  const whole = summary(replay([bytes], undefined, maxEventChars));
  const prng = new Prng(seed);
  let count = 0;
  let first: string | undefined;
  for (let run = 0; run < SPLITS_PER_STREAM; run++) {
    const chunks = randomSplit(bytes, prng);
    const split = summary(replay(chunks, undefined, maxEventChars));
    if (split !== whole) {
      count++;
      first ??= `run ${run}: cut at ${chunks.map((c) => c.length).join(',')}: ${split.slice(0, 300)} vs ${whole.slice(0, 300)}`;
    }
  }
  return { count, first };
}

const toCrlf = (bytes: Uint8Array): Uint8Array => encoder.encode(Buffer.from(bytes).toString('utf8').replace(/\r?\n/g, '\r\n'));

describe('stream suite: 1,000 random splits of every recorded stream', function () {
  this.timeout(300_000);
  for (const [index, name] of fixtureNames().entries()) {
    it(`${name}: 0 divergences in ${SPLITS_PER_STREAM} splits, LF and CRLF`, () => {
      const bytes = fixtureBytes(name);
      for (const [variant, body] of [['as recorded', bytes], ['CRLF', toCrlf(bytes)]] as const) {
        const result = divergences(body, 0x5eed + index);
        assert.equal(result.count, 0, `${variant}: ${result.first}`);
      }
    });
  }
});

const head = [
  'event: message_start',
  'data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-6","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":1,"output_tokens":1}}}',
  '',
  'event: content_block_start',
  'data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}',
  '',
  'event: content_block_delta',
  'data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Before ünïcödé 🎉"}}',
  '',
  '',
].join('\n');

const textOf = (result: ReplayResult): string => (result.partial?.content ?? []).map((block) => ('text' in block ? block.text : '')).join('');

const malformed: { name: string; tail: string; kind: string; detail: RegExp }[] = [
  { name: 'data that is not JSON', tail: 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"bro\n\n', kind: 'malformed_response', detail: /not valid JSON/ },
  { name: 'an event without a type', tail: 'data: {"index":0}\n\n', kind: 'malformed_response', detail: /has no type/ },
  { name: 'a delta missing its index', tail: 'event: content_block_delta\ndata: {"type":"content_block_delta","delta":{"type":"text_delta","text":"x"}}\n\n', kind: 'malformed_response', detail: /content_block_delta/ },
  { name: 'a text delta whose text is a number', tail: 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":42}}\n\n', kind: 'malformed_response', detail: /text_delta/ },
  { name: 'an error event mid-answer', tail: 'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n', kind: 'overloaded', detail: /overloaded/i },
  { name: 'an error event whose data is not JSON', tail: 'event: error\ndata: <html>502 Bad Gateway</html>\n\n', kind: 'malformed_response', detail: /not valid JSON/ },
  { name: 'a JSON array as data', tail: 'data: [1,2,3]\n\n', kind: 'malformed_response', detail: /has no type/ },
  { name: 'JSON null as data', tail: 'event: content_block_delta\ndata: null\n\n', kind: 'malformed_response', detail: /content_block_delta/ },
];

describe('stream suite: malformed events keep the text before them, whatever the splits', function () {
  this.timeout(120_000);
  for (const [index, example] of malformed.entries()) {
    it(`${example.name}: ${example.kind}, partial kept, 0 divergences`, () => {
      const bytes = encoder.encode(head + example.tail);
      const whole = replay([bytes]);
      assert.ok(whole.error instanceof AimlApiError, String(whole.error));
      assert.equal(whole.error.kind, example.kind);
      assert.match(whole.error.message, example.detail);
      assert.equal(textOf(whole), 'Before ünïcödé 🎉');
      assert.equal(divergences(bytes, 0xbad + index).count, 0);
    });
  }

  it('comments, unknown fields, retry lines and unknown event types are ignored', () => {
    const noise = ': keep-alive comment\nretry: 10\nid: 7\nfoo: bar\n\nevent: some_future_event\ndata: {"type":"some_future_event"}\n\n';
    const tail = 'event: content_block_stop\ndata: {"type":"content_block_stop","index":0}\n\nevent: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":3}}\n\nevent: message_stop\ndata: {"type":"message_stop"}\n\n';
    const bytes = encoder.encode(head + noise + tail);
    const whole = replay([bytes]);
    assert.equal(whole.error, undefined);
    assert.equal(whole.complete, true);
    assert.equal(textOf(whole), 'Before ünïcödé 🎉');
    assert.equal(divergences(bytes, 0xface).count, 0);
  });
});

describe('stream suite: oversized events', function () {
  this.timeout(120_000);
  const LIMIT = 4096;
  const oversized: { name: string; tail: string }[] = [
    { name: 'one data line longer than the limit', tail: `event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"${'a'.repeat(LIMIT + 10)}"}}\n\n` },
    { name: 'a line that never ends', tail: `data: ${'b'.repeat(LIMIT * 3)}` },
    { name: 'many short data lines adding up past the limit', tail: `event: content_block_delta\n${'data: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n'.repeat(Math.ceil((LIMIT * 1.5) / 40))}\n` },
    { name: 'a long comment line', tail: `: ${'c'.repeat(LIMIT * 2)}\n\n` },
    { name: 'multi-byte characters past the limit', tail: `data: ${'é🎉'.repeat(LIMIT)}\n\n` },
    { name: 'lone CR line endings after an oversized line', tail: `data: ${'d'.repeat(LIMIT + 1)}\rdata: x\r\r` },
  ];
  for (const [index, example] of oversized.entries()) {
    it(`${example.name}: stream_too_large, partial kept, 0 divergences`, () => {
      const bytes = encoder.encode(head + example.tail);
      const whole = replay([bytes], undefined, LIMIT);
      assert.ok(whole.error instanceof AimlApiError, `no error: ${String(whole.error)}`);
      assert.equal(whole.error.kind, 'stream_too_large');
      assert.equal(textOf(whole), 'Before ünïcödé 🎉');
      assert.equal(divergences(bytes, 0xb16 + index, LIMIT).count, 0);
    });
  }

  it('an event just under the limit is accepted', () => {
    const text = 'e'.repeat(LIMIT - 200);
    const bytes = encoder.encode(`${head}event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"${text}"}}\n\n`);
    const whole = replay([bytes], undefined, LIMIT);
    assert.equal(whole.error, undefined);
    assert.equal(textOf(whole), `Before ünïcödé 🎉${text}`);
  });
});
