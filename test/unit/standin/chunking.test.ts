import assert from 'node:assert/strict';
import { startStandIn } from '../../support/standin';
import { chunkBytes } from '../../support/standin/sse-writer';
import { assemble, postJson, readSse, textOf } from '../../support/standin/test-client';
import { Prng } from '../../support/standin/util';
import { request } from './helpers';

const sample = Buffer.from('event: content_block_delta\r\ndata: {"text":"café 日本語 🚀 ✓"}\r\n\r\n'.repeat(40));

function splitsInsideCharacter(chunks: Buffer[]): number {
  return chunks.slice(0, -1).filter((chunk, i) => (chunks[i + 1][0] & 0xc0) === 0x80 && chunk.length > 0).length;
}

function splitsBetweenCrAndLf(chunks: Buffer[]): number {
  return chunks.slice(0, -1).filter((chunk, i) => chunk[chunk.length - 1] === 0x0d && chunks[i + 1][0] === 0x0a).length;
}

describe('stand-in: chunking', () => {
  it('random chunks split inside multi-byte characters and between CR and LF, losing nothing', () => {
    const chunks = chunkBytes(sample, 'random', new Prng(1));
    assert.ok(chunks.length > 20);
    assert.ok(Buffer.concat(chunks).equals(sample));
    assert.ok(splitsInsideCharacter(chunks) > 5, 'splits inside UTF-8 sequences');
    assert.ok(splitsBetweenCrAndLf(chunks) > 2, 'splits between CR and LF');
    // Such a chunk cannot be decoded on its own: a client must decode in streaming mode.
    const cutChunk = chunks.find((chunk, i) => i < chunks.length - 1 && (chunks[i + 1][0] & 0xc0) === 0x80)!;
    assert.throws(() => new TextDecoder('utf-8', { fatal: true }).decode(cutChunk));
  });

  it('is reproducible for a seed', () => {
    const sizes = (seed: number) => chunkBytes(sample, 'random', new Prng(seed)).map((c) => c.length);
    assert.deepEqual(sizes(42), sizes(42));
    assert.notDeepEqual(sizes(42), sizes(43));
  });

  it('bytewise sends one byte a chunk; none sends one chunk', () => {
    const bytewise = chunkBytes(sample, 'bytewise', new Prng(1));
    assert.equal(bytewise.length, sample.length);
    assert.ok(bytewise.every((c) => c.length === 1));
    assert.deepEqual(chunkBytes(sample, 'none', new Prng(1)), [sample]);
  });

  for (const [chunking, lineEnding] of [['bytewise', 'crlf'], ['random', 'crlf'], ['random', 'lf'], ['none', 'crlf']] as const) {
    it(`a ${chunking}-chunked ${lineEnding} stream reassembles into the right multi-byte text`, async function () {
      // One write per byte is slow by design (about 2000 writes); give it room.
      this.timeout(30000);
      const standIn = await startStandIn({ chunking, lineEnding, seed: 3 });
      try {
        const res = await postJson(`${standIn.url}/v1/messages`, request({ stream: true, messages: [{ role: 'user', content: 'unicode' }] }));
        const result = await readSse(res);
        const raw = Buffer.concat(result.chunks).toString('utf8');
        assert.equal(raw.includes('\r\n'), lineEnding === 'crlf');
        const text = textOf(assemble(result.events).message);
        assert.equal(text, 'Multi-byte text: café, naïve, Ωmega, 日本語のテキスト, emoji 🚀👩‍💻🎉, math ∑∫√, and a final ✓.');
      } finally {
        await standIn.close();
      }
    });
  }

  it('uses CRLF for some responses and LF for others by default', async () => {
    const standIn = await startStandIn({ seed: 11 });
    try {
      const endings = new Set<string>();
      for (let i = 0; i < 12; i++) {
        const text = await (await postJson(`${standIn.url}/v1/messages`, request({ stream: true }))).text();
        endings.add(text.includes('\r\n') ? 'crlf' : 'lf');
      }
      assert.deepEqual([...endings].sort(), ['crlf', 'lf']);
    } finally {
      await standIn.close();
    }
  });
});
