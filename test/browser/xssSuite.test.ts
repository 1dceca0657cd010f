// Adversarial XSS suite (docs/SECURITY.md): every vector of fixtures/xssVectors.ts goes through
// the real webview bundle in Chromium, under the extension's Content-Security-Policy, as a stored
// answer, as a prompt and streamed in small pieces. Expected: 0 script executions (alert and its
// kin are trapped, top.__pwned watched, dialogs counted), 0 CSP violations (so the sanitiser, not
// the CSP, stopped them), 0 requests leaving the page's own origin, and no dangerous element,
// event handler or script URL left in the transcript DOM.
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { allVectors } from './fixtures/xssVectors';
import { assistantMessage, initMessage, useChatPage, userMessage, type ChatPage } from './support/chatPage';
import { inspectTranscript, provoke, watchForAttacks } from './support/xssProbes';

interface Findings { executions: string[]; dialogs: string[]; remote: string[]; violations: string[]; dom: string[] }

describe('XSS suite: vectors through the real webview in Chromium', function () {
  this.timeout(120_000);
  let remote: string[];
  let dialogs: string[];
  const fixture = useChatPage({
    prepare: async (page) => { ({ remote, dialogs } = await watchForAttacks(page, fixture.server().origin)); },
  });
  let page: Page;
  let chat: ChatPage;
  beforeEach(() => {
    chat = fixture();
    page = chat.page;
  });

  async function findings(): Promise<Findings> {
    await page.evaluate(provoke, 500);
    return {
      executions: await page.evaluate(() => (globalThis as unknown as { __executions: string[] }).__executions),
      dialogs,
      remote,
      violations: await chat.violations(),
      dom: await page.evaluate(inspectTranscript),
    };
  }

  const clean: Findings = { executions: [], dialogs: [], remote: [], violations: [], dom: [] };

  it(`has at least 100 vectors (${allVectors.length})`, () => {
    assert.ok(allVectors.length >= 100);
    assert.equal(new Set(allVectors).size, allVectors.length, 'duplicate vectors');
  });

  it('stored answers and prompts: 0 executions, 0 remote requests, 0 CSP violations, nothing dangerous in the DOM', async () => {
    const messages = allVectors.flatMap((vector, i) => [userMessage(vector, { id: `prompt-${i}` }), assistantMessage(`Before ${i}\n\n${vector}\n\nAfter ${i}`, { id: `answer-${i}` })]);
    await chat.send(initMessage(messages));
    // The transcript is virtualised (only turns near the viewport are in the DOM): walk the log
    // from top to bottom a screen at a time so every vector is rendered, and inspect the DOM at
    // every step. Script executions and remote requests are recorded page-wide as they happen.
    type Log = { scrollTop: number; scrollHeight: number; clientHeight: number; querySelectorAll(s: string): ArrayLike<{ getAttribute(n: string): string | null }> };
    const rendered = new Set<string>();
    const domProblems: string[] = [];
    const text: string[] = [];
    await page.getByRole('log').evaluate((element) => { (element as unknown as Log).scrollTop = 0; });
    for (let step = 0; step < 2000; step++) {
      await chat.nextFrame();
      await chat.nextFrame();
      const view = await page.getByRole('log').evaluate((element) => {
        const log = element as unknown as Log & { innerText: string };
        const ids = Array.from(log.querySelectorAll('[data-message-id^="answer-"]')).map((e) => e.getAttribute('data-message-id') ?? '');
        const atEnd = log.scrollTop + log.clientHeight >= log.scrollHeight - 2;
        return { ids, atEnd, text: log.innerText };
      });
      view.ids.forEach((id) => rendered.add(id));
      text.push(view.text);
      domProblems.push(...await page.evaluate(inspectTranscript));
      if (view.atEnd) break;
      await page.getByRole('log').evaluate((element) => { const log = element as unknown as Log; log.scrollTop += Math.max(100, log.clientHeight * 0.8); });
    }
    assert.equal(rendered.size, allVectors.length, 'every stored answer was rendered at some point of the walk');
    // The vectors really rendered (the text around each is there).
    for (const i of [0, 50, allVectors.length - 1]) assert.match(text.join('\n'), new RegExp(`After ${i}\\b`));
    assert.deepEqual([...new Set(domProblems)], [], 'nothing dangerous in the DOM at any step of the walk');
    assert.deepEqual(await findings(), clean);
  });

  it('streamed in small pieces: 0 executions, 0 remote requests, 0 CSP violations, nothing dangerous in the DOM', async () => {
    await chat.send(initMessage([userMessage('show me')]));
    await chat.send({ type: 'state', busy: true });
    await chat.send({ type: 'messageAdded', message: { id: 'streamed', role: 'assistant', content: [], createdAt: 2, model: 'claude-sonnet-4-6', status: 'streaming' } });
    await chat.send({ type: 'delta', messageId: 'streamed', ops: [{ op: 'start', index: 0, block: { type: 'text', text: '' } }] });
    const whole = allVectors.map((vector, i) => `Vector ${i}:\n\n${vector}\n\n`).join('');
    // Pieces of 1..23 characters, so tags and URLs arrive cut everywhere; a frame now and then.
    let position = 0;
    for (let piece = 0; position < whole.length; piece++) {
      const size = 1 + ((piece * 7) % 23);
      const ops = [];
      for (let k = 0; k < 40 && position < whole.length; k++, position += size) ops.push({ op: 'append' as const, index: 0, text: whole.slice(position, position + size) });
      await chat.send({ type: 'delta', messageId: 'streamed', ops });
      if (piece % 5 === 0) await chat.nextFrame();
    }
    await chat.nextFrame();
    assert.deepEqual(await findings(), clean, 'while streaming');
    await chat.send({ type: 'messageUpdated', messageId: 'streamed', status: 'complete', content: [{ type: 'text', text: whole }] });
    await chat.nextFrame();
    const text = await page.evaluate(() => (globalThis as unknown as { document: { body: { innerText: string } } }).document.body.innerText);
    assert.match(text, new RegExp(`Vector ${allVectors.length - 1}:`));
    assert.deepEqual(await findings(), clean, 'after the answer finished');
  });
});
