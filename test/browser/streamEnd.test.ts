// The end of a streamed answer carries digests instead of the text again (src/shared/textDigest.ts):
// the webview checks its streamed copy and asks for the whole message when a delta was lost or
// doubled, so an answer is never shown or kept wrong.
import assert from 'node:assert/strict';
import type { StoredMessage } from '../../src/shared/model';
import { elideText } from '../../src/shared/textDigest';
import { initMessage, useChatPage, userMessage } from './support/chatPage';
import { generateAnswer } from './fixtures/markdownSamples';

const streamingAssistant = (id: string): StoredMessage => ({ id, role: 'assistant', content: [], createdAt: 2, model: 'claude-sonnet-4-6', status: 'streaming' });
const answer = `${generateAnswer(8_000)}Middle part MIDDLE-MARKER here.\n\n${generateAnswer(4_000)}The end: LAST-MARKER.`;

describe('the end of a streamed answer without its text again (Chromium)', function () {
  const chat = useChatPage();

  /** Streams `chunks` as appends to block 0, then the end as the host sends it: finish op and messageUpdated, text left out. */
  async function streamAndEnd(chunks: string[]): Promise<void> {
    await chat().send(initMessage([userMessage('hello')]));
    await chat().send({ type: 'state', busy: true });
    await chat().send({ type: 'messageAdded', message: streamingAssistant('m1') });
    await chat().send({ type: 'delta', messageId: 'm1', ops: [{ op: 'start', index: 0, block: { type: 'text', text: '' } }] });
    for (const text of chunks) await chat().send({ type: 'delta', messageId: 'm1', ops: [{ op: 'append', index: 0, text }] });
    const { block, elided } = elideText({ type: 'text', text: answer });
    assert.ok(elided, 'an answer this long is sent without its text');
    await chat().send({ type: 'delta', messageId: 'm1', ops: [{ op: 'finish', index: 0, block, elided }] });
    await chat().send({ type: 'messageUpdated', messageId: 'm1', status: 'complete', content: [block], elided: [{ index: 0, ...elided }] });
    await chat().send({ type: 'state', busy: false });
  }

  const chunksOf = (text: string, size: number) => Array.from({ length: Math.ceil(text.length / size) }, (_, i) => text.slice(i * size, (i + 1) * size));
  const answerText = () => chat().page.getByRole('article', { name: 'Assistant' }).locator('.markdown-body').evaluate((el) => el.textContent ?? '');
  async function untilShown(marker: RegExp): Promise<string> {
    // A function, not a string: a string predicate is eval'd in the page, which the CSP refuses.
    await chat().page.waitForFunction((source) => new RegExp(source).test((globalThis as unknown as { document: { querySelector(s: string): { textContent: string | null } | null } }).document.querySelector('.assistant-turn .markdown-body')?.textContent ?? ''), marker.source);
    return answerText();
  }
  const count = (text: string, word: string) => text.split(word).length - 1;

  it('renders an answer whose deltas and end all came before a frame in slices, not in that one task', async () => {
    // A busy view (the workbench relaying a fast stream) can get all of it before its first frame.
    const big = `${generateAnswer(200_000)}The end: BIG-END-MARKER.`;
    const { block, elided } = elideText({ type: 'text', text: big });
    await chat().send(initMessage([userMessage('hello')]));
    await chat().send({ type: 'messageAdded', message: streamingAssistant('m1') });
    const messages = [
      { type: 'delta', messageId: 'm1', ops: [{ op: 'start', index: 0, block: { type: 'text', text: '' } }] },
      ...chunksOf(big, 60_000).map((text) => ({ type: 'delta', messageId: 'm1', ops: [{ op: 'append', index: 0, text }] })),
      { type: 'delta', messageId: 'm1', ops: [{ op: 'finish', index: 0, block, elided }] },
      { type: 'messageUpdated', messageId: 'm1', status: 'complete', content: [block], elided: elided ? [{ index: 0, ...elided }] : undefined },
    ];
    const chunksInThatTask = await chat().page.evaluate((all) => {
      const page = globalThis as unknown as { __dispatch(m: unknown): void; document: { querySelectorAll(s: string): { length: number } } };
      for (const message of all) page.__dispatch(message);
      return page.document.querySelectorAll('.assistant-turn .markdown-body > .md-chunk').length;
    }, messages);
    await untilShown(/BIG-END-MARKER/);
    const chunks = await chat().page.locator('.assistant-turn .markdown-body > .md-chunk').count();
    assert.ok(chunks > 10, `expected many chunks, got ${chunks}`);
    assert.ok(chunksInThatTask <= chunks / 4, `${chunksInThatTask} of ${chunks} chunks rendered in the task that got the end`);
    assert.deepEqual(await chat().postedOfType('resendMessage'), []);
  });

  it('keeps the streamed text when it matches, and asks for nothing', async () => {
    await streamAndEnd(chunksOf(answer, 97));
    const shown = await untilShown(/LAST-MARKER/);
    assert.equal(count(shown, 'MIDDLE-MARKER'), 1);
    assert.deepEqual(await chat().postedOfType('resendMessage'), []);
  });

  it('a dropped delta: asks for the whole message once, and the whole text replaces the broken copy', async () => {
    const chunks = chunksOf(answer, 97);
    const dropped = chunks.findIndex((chunk) => chunk.includes('MIDDLE-MARKER'));
    await streamAndEnd(chunks.filter((_, i) => i !== dropped));
    await untilShown(/LAST-MARKER/);
    assert.deepEqual(await chat().postedOfType('resendMessage'), [{ type: 'resendMessage', messageId: 'm1' }], 'one request for the finish op and the update together');
    await chat().send({ type: 'messageUpdated', messageId: 'm1', status: 'complete', content: [{ type: 'text', text: answer }] });
    const shown = await untilShown(/MIDDLE-MARKER[\s\S]*LAST-MARKER/);
    assert.equal(count(shown, 'MIDDLE-MARKER'), 1);
  });

  it('a doubled delta: the same, the text shows once', async () => {
    const chunks = chunksOf(answer, 97);
    const doubled = chunks.findIndex((chunk) => chunk.includes('MIDDLE-MARKER'));
    await streamAndEnd(chunks.flatMap((chunk, i) => (i === doubled ? [chunk, chunk] : [chunk])));
    assert.equal(count(await untilShown(/LAST-MARKER/), 'MIDDLE-MARKER'), 2, 'the broken copy, until the whole text arrives');
    assert.equal((await chat().postedOfType('resendMessage')).length, 1);
    await chat().send({ type: 'messageUpdated', messageId: 'm1', status: 'complete', content: [{ type: 'text', text: answer }] });
    await untilShown(/^(?:(?!MIDDLE-MARKER)[\s\S])*MIDDLE-MARKER(?:(?!MIDDLE-MARKER)[\s\S])*LAST-MARKER/);
    assert.equal(count(await answerText(), 'MIDDLE-MARKER'), 1);
  });
});
