// The digest that replaces a streamed text at the end of a stream: it must tell a lost, doubled or
// reordered delta from the text the host holds, and only long text/thinking blocks are left out.
import * as assert from 'node:assert/strict';
import { parseHostMessage } from '../../../src/shared/protocol';
import { digestText, elideFromChars, elideText, sameDigest, streamedText, withStreamedText } from '../../../src/shared/textDigest';

const text = Array.from({ length: 400 }, (_, i) => `line ${i} of the answer\n`).join('');
const deltas = Array.from({ length: Math.ceil(text.length / 5) }, (_, i) => text.slice(i * 5, i * 5 + 5));

describe('textDigest', () => {
  it('is FNV-1a over UTF-16 code units, as an unsigned 32-bit number', () => {
    assert.deepEqual(digestText(''), { length: 0, hash: 0x811c9dc5 });
    assert.deepEqual(digestText('a'), { length: 1, hash: 0xe40c292c });
    assert.deepEqual(digestText('foobar'), { length: 6, hash: 0xbf9cf968 });
    assert.equal(digestText('é😀').length, 3);
  });

  it('matches the text streamed in deltas, and no copy with a delta lost, doubled or swapped', () => {
    const digest = digestText(text);
    assert.ok(sameDigest(deltas.join(''), digest));
    assert.ok(!sameDigest(deltas.filter((_, i) => i !== 100).join(''), digest), 'dropped');
    assert.ok(!sameDigest(deltas.flatMap((d, i) => (i === 100 ? [d, d] : [d])).join(''), digest), 'doubled');
    const swapped = [...deltas];
    [swapped[100], swapped[101]] = [swapped[101], swapped[100]];
    assert.equal(swapped.join('').length, text.length);
    assert.ok(!sameDigest(swapped.join(''), digest), 'swapped: same length, other hash');
    assert.ok(!sameDigest(text, { ...digest, length: digest.length + 1 }));
  });

  it('leaves out the text of long text and thinking blocks only, keeping every other field', () => {
    const long = 'x'.repeat(elideFromChars);
    assert.deepEqual(elideText({ type: 'text', text: long, citations: null }), { block: { type: 'text', text: '', citations: null }, elided: digestText(long) });
    assert.deepEqual(elideText({ type: 'thinking', thinking: long, signature: 'sig' }), { block: { type: 'thinking', thinking: '', signature: 'sig' }, elided: digestText(long) });
    const short = { type: 'text', text: 'x'.repeat(elideFromChars - 1) } as const;
    assert.deepEqual(elideText(short), { block: short });
    const tool = { type: 'tool_use', id: 't', name: 'read_file', input: { path: long } } as const;
    assert.deepEqual(elideText(tool), { block: tool });
    assert.equal(streamedText(tool), undefined);
  });

  it('puts the streamed text back where it was left out', () => {
    assert.deepEqual(withStreamedText({ type: 'text', text: '' }, 'abc'), { type: 'text', text: 'abc' });
    assert.deepEqual(withStreamedText({ type: 'thinking', thinking: '', signature: 's' }, 'abc'), { type: 'thinking', thinking: 'abc', signature: 's' });
    assert.deepEqual(withStreamedText({ type: 'redacted_thinking', data: 'd' }, 'abc'), { type: 'redacted_thinking', data: 'd' });
  });

  it('the protocol refuses a digest that is not a count and an unsigned hash', () => {
    const finish = (elided: unknown) => parseHostMessage({ type: 'delta', messageId: 'm', ops: [{ op: 'finish', index: 0, block: { type: 'text', text: '' }, elided }] });
    assert.ok(finish(digestText(text)).ok);
    assert.equal(finish({ length: -1, hash: 1 }).ok, false);
    assert.equal(finish({ length: 1, hash: 1.5 }).ok, false);
    assert.equal(finish({ length: 1 }).ok, false);
    const updated = (elided: unknown) => parseHostMessage({ type: 'messageUpdated', messageId: 'm', elided });
    assert.ok(updated([{ index: 0, length: 3, hash: 3 }]).ok);
    assert.equal(updated([{ index: -1, length: 3, hash: 3 }]).ok, false);
    // A message from before this field (no `elided`) is whole, as it always was.
    assert.ok(parseHostMessage({ type: 'messageUpdated', messageId: 'm', content: [{ type: 'text', text: 'whole' }] }).ok);
  });
});
