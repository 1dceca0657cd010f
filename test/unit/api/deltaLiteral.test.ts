// The literal fast path for text and tool-input deltas (src/core/api/deltaLiteral.ts) must accept only
// data that the full path (JSON.parse, then the zod schemas) accepts, and give the same event for it;
// everything else must reach the full path and its typed errors. Checked on thousands of canonical
// events with hostile strings and on as many mutated spellings (extra keys, escapes, quotes,
// indexes, whitespace, truncation), from a seeded generator so a failure can be replayed.
import { strict as assert } from 'node:assert';
import { literalDelta } from '../../../src/core/api/deltaLiteral';
import { AimlApiError } from '../../../src/core/api/errors';
import { parseStreamEvent } from '../../../src/core/api/events';
import { ContentBlockDeltaEventSchema, InputJsonDeltaSchema, TextDeltaSchema, UnknownTypeReporter } from '../../../src/core/api/schemas';
import { CapturingLogger } from './helpers';

/** What the full path makes of a text or tool-input delta: the event, or 'invalid', or 'other'. */
function viaFullPath(data: string): unknown {
  let json: unknown;
  try { json = JSON.parse(data); } catch { return 'invalid'; }
  const event = ContentBlockDeltaEventSchema.safeParse(json);
  if (!event.success) return typeof json === 'object' && json !== null && (json as { type?: unknown }).type === 'content_block_delta' ? 'invalid' : 'other';
  const schema = event.data.delta.type === 'text_delta' ? TextDeltaSchema : event.data.delta.type === 'input_json_delta' ? InputJsonDeltaSchema : undefined;
  if (!schema) return 'other';
  const delta = schema.safeParse(event.data.delta);
  return delta.success ? { type: 'content_block_delta', index: event.data.index, delta: delta.data } : 'invalid';
}

/** mulberry32: small, seeded, good enough to spread cases. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [
  'a', 'Z', ' ', 'é', '✓', '😀', '\ud83d', '\ude00', '"', '\\', '/', '\n', '\r', '\t', '\u0000', '\u001f', '\u007f', '\u2028',
  '}', '{', '"}}', ',', ':', '\\"', '\\\\', '\\u0041', '\\n', 'null', '0', '1', '-', '.', 'e', '[', ']',
];
const TOKENS = [
  '"', '\\', '\\"', '\\\\', '\\u', '\\u00', '\\u004', '\\u0041', '\\x41', '\\/', '\\b', '\\ud800', '\\q', '\u0000', '\u001f', '\n', ' ',
  '}', '{', '}}', '"}}', ',', ':', '0', '00', '01', '1', '-', '-0', '.0', 'e2', 'E1', '9007199254740993', '1234567',
  '"x":1,', ',"x":1', ',"text":"b"', ',"partial_json":"b"', ',"index":1', ',"type":"text_delta"', 'null', 'true', '5', '✓', '\ud800', 'é',
];

function pick<T>(next: () => number, items: readonly T[]): T {
  return items[Math.floor(next() * items.length)];
}

function hostileString(next: () => number): string {
  let text = '';
  const length = Math.floor(next() * 12);
  for (let index = 0; index < length; index++) text += pick(next, PIECES);
  return text;
}

function canonicalEvent(next: () => number): string {
  const index = pick(next, [0, 0, 1, 2, 9, 10, 42, 99999, 999999, 1000000, 1234567, Math.floor(next() * 1000)]);
  const text = hostileString(next);
  const delta = next() < 0.5 ? { type: 'text_delta', text } : { type: 'input_json_delta', partial_json: text };
  return JSON.stringify({ type: 'content_block_delta', index, delta });
}

/** One or two edits of the raw data: inserts, deletions, replacements, truncation, whitespace. */
function mutate(next: () => number, data: string): string {
  let result = data;
  const edits = 1 + Math.floor(next() * 2);
  for (let edit = 0; edit < edits; edit++) {
    // Half of the edits fall near the end, where the string and the closing braces are.
    const span = next() < 0.5 ? result.length + 1 : Math.min(result.length + 1, 24);
    const at = result.length + 1 - span + Math.floor(next() * span);
    const kind = Math.floor(next() * 5);
    if (kind === 0) result = result.slice(0, at) + pick(next, TOKENS) + result.slice(at);
    else if (kind === 1) result = result.slice(0, at) + result.slice(at + 1 + Math.floor(next() * 3));
    else if (kind === 2) result = result.slice(0, at) + pick(next, TOKENS) + result.slice(at + 1);
    else if (kind === 3) result = result.slice(0, at);
    else result = next() < 0.5 ? ` ${result}` : `${result}${pick(next, [' ', '\t', '\n', '\r\n'])}`;
  }
  return result;
}

const context = () => ({ reporter: new UnknownTypeReporter(new CapturingLogger()), secrets: [], requestId: 'req_literal' });

/** parseStreamEvent (fast path first) must agree with the full path: the same event, or a typed error. */
function assertAgrees(data: string): void {
  const expected = viaFullPath(data);
  const fast = literalDelta(data);
  if (fast !== undefined) assert.deepEqual(fast, expected, `the fast path accepted ${JSON.stringify(data)}`);
  if (expected === 'other') return;
  if (expected === 'invalid') {
    assert.throws(() => parseStreamEvent({ data }, context()), (error: unknown) => error instanceof AimlApiError && error.kind === 'malformed_response', JSON.stringify(data));
  } else {
    assert.deepEqual(parseStreamEvent({ data }, context()), expected, JSON.stringify(data));
  }
}

describe('literal delta fast path', () => {
  it('takes the API\'s own spelling of text and tool-input deltas, with the same event as the full path', () => {
    for (const [data, expected] of [
      ['{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hello' } }],
      ['{"type":"content_block_delta","index":12,"delta":{"type":"input_json_delta","partial_json":"{\\"pa\\\\n"}}', { type: 'content_block_delta', index: 12, delta: { type: 'input_json_delta', partial_json: '{"pa\\n' } }],
      ['{"type":"content_block_delta","index":999999,"delta":{"type":"text_delta","text":""}}', { type: 'content_block_delta', index: 999999, delta: { type: 'text_delta', text: '' } }],
      ['{"type":"content_block_delta","index":3,"delta":{"type":"text_delta","text":"\\u0041\\/\\ud83d\\ude00 ✓"}}', { type: 'content_block_delta', index: 3, delta: { type: 'text_delta', text: 'A/😀 ✓' } }],
      ['{"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"\\"}}"}}', { type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: '"}}' } }],
    ] as const) {
      assert.deepEqual(literalDelta(data), expected, data);
      assert.deepEqual(viaFullPath(data), expected, data);
    }
  });

  const fallBack: Array<[string, string]> = [
    ['a leading zero in the index (not JSON)', '{"type":"content_block_delta","index":01,"delta":{"type":"text_delta","text":"x"}}'],
    ['a negative index', '{"type":"content_block_delta","index":-1,"delta":{"type":"text_delta","text":"x"}}'],
    ['minus zero', '{"type":"content_block_delta","index":-0,"delta":{"type":"text_delta","text":"x"}}'],
    ['an index with a fraction', '{"type":"content_block_delta","index":1.0,"delta":{"type":"text_delta","text":"x"}}'],
    ['an index with an exponent', '{"type":"content_block_delta","index":1e2,"delta":{"type":"text_delta","text":"x"}}'],
    ['an index of seven digits', '{"type":"content_block_delta","index":1234567,"delta":{"type":"text_delta","text":"x"}}'],
    ['an index past the safe integers', '{"type":"content_block_delta","index":9007199254740993,"delta":{"type":"text_delta","text":"x"}}'],
    ['an unescaped quote in the text', '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"a"b"}}'],
    ['an extra key after the text', '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"a","x":"b"}}'],
    ['the text twice', '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"a","text":"b"}}'],
    ['an extra key after the delta', '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"a"},"x":"}}'],
    ['a raw control character', '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"a\u0001"}}'],
    ['a bad escape', '{"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"\\x41"}}'],
    ['a short unicode escape', '{"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"\\u004"}}'],
    ['an escaped closing quote', '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"a\\"}}'],
    ['no string at all', '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"}}'],
    ['a space after a colon', '{"type":"content_block_delta","index": 0,"delta":{"type":"text_delta","text":"x"}}'],
    ['a trailing space', '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"x"}} '],
    ['a leading space', ' {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"x"}}'],
    ['the text of a tool-input delta', '{"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","text":"x"}}'],
    ['the tool input\'s key in a text delta', '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","partial_json":"x"}}'],
    ['a delta type without its key', '{"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta":"x"}}'],
    ['a colon after the delta type', '{"type":"content_block_delta","index":0,"delta":{"type":"thinking":"x"}}'],
    ['a thinking delta', '{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"x"}}'],
    ['another event type', '{"type":"content_block_deltas","index":0,"delta":{"type":"text_delta","text":"x"}}'],
    ['keys in another order', '{"index":0,"type":"content_block_delta","delta":{"type":"text_delta","text":"x"}}'],
    ['a missing closing brace', '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"x"}'],
    ['a closing bracket instead of a brace', '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"x"}]'],
    ['a closing bracket before the last brace', '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"x"]}'],
    ['an extra closing brace', '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"x"}}}'],
    ['a text that is a number', '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":5}}'],
  ];
  for (const [what, data] of fallBack) {
    it(`leaves ${what} to the full path`, () => {
      assert.equal(literalDelta(data), undefined);
      assertAgrees(data);
    });
  }

  it('an index past the safe integers is refused, as the schema refuses it', () => {
    const data = '{"type":"content_block_delta","index":9007199254740993,"delta":{"type":"text_delta","text":"x"}}';
    assert.throws(() => parseStreamEvent({ data }, context()), (error: unknown) => error instanceof AimlApiError && error.kind === 'malformed_response' && /index/.test(error.message));
  });

  it('an `event: error` in the delta spelling is still the API error it names', () => {
    const data = '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"x"}}';
    assert.throws(() => parseStreamEvent({ event: 'error', data }, context()), (error: unknown) => error instanceof AimlApiError);
  });

  it('keeps the full path\'s error for data that is not JSON', () => {
    const data = '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"\\x"}}';
    assert.throws(() => parseStreamEvent({ event: 'content_block_delta', data }, context()), (error: unknown) => error instanceof AimlApiError && error.kind === 'malformed_response' && /"content_block_delta" event is not valid JSON/.test(error.message));
  });

  it('agrees with the full path on 4,000 canonical events with hostile strings, and on each spelled with spaces', () => {
    const next = random(15);
    let taken = 0;
    for (let run = 0; run < 4000; run++) {
      const data = canonicalEvent(next);
      assertAgrees(data);
      if (literalDelta(data) !== undefined) taken++;
      // The same event spelled otherwise skips the fast path and must still agree (the hand check
      // in events.ts, then zod).
      const spaced = JSON.stringify(JSON.parse(data), null, 1);
      assert.equal(literalDelta(spaced), undefined);
      assertAgrees(spaced);
    }
    // Every canonical event with an index of at most six digits is taken (most of them).
    assert.ok(taken > 3000, `only ${taken} of 4000 canonical events took the fast path`);
  });

  it('agrees with the full path on 12,000 mutated spellings', () => {
    const next = random(1515);
    const outcomes = { taken: 0, invalid: 0, valid: 0 };
    for (let run = 0; run < 12_000; run++) {
      const data = mutate(next, canonicalEvent(next));
      assertAgrees(data);
      const expected = viaFullPath(data);
      if (literalDelta(data) !== undefined) outcomes.taken++;
      if (expected === 'invalid') outcomes.invalid++;
      else if (expected !== 'other') outcomes.valid++;
    }
    // The generator must reach all three outcomes often, or the comparison proves little.
    assert.ok(outcomes.taken > 400 && outcomes.invalid > 1500 && outcomes.valid > outcomes.taken, JSON.stringify(outcomes));
  });
});
