// The markdown renderer (dist/markdown.js) loads after the view's first paint (issue 15): the
// composer and the transcript show at once with plain text, the answers become markdown when the
// renderer arrives, and the strict Content-Security-Policy (scripts by
// nonce only) is unchanged: the second bundle must load under it with no violation.
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { PageServer } from './support/pageServer';
import { ChatPage, assistantMessage, initMessage, useChatPage, userMessage } from './support/chatPage';

describe('markdown renderer loaded after the first paint (Chromium)', function () {
  this.timeout(60_000);
  // Each test opens the page itself: some hold the renderer back or fail it first.
  const fixture = useChatPage({ open: false, noCspViolations: true });
  let server: PageServer;
  let page: Page;
  let chat: ChatPage;

  beforeEach(() => {
    server = fixture.server();
    chat = fixture();
    page = chat.page;
  });
  afterEach(() => {
    server.failMarkdown = false;
    server.holdMarkdown().release();
  });

  const answer = 'The fix is **bold**.\n\n```ts\nconst x = 1;\n```\n\nDone.';

  it('shows the composer and plain text first, then the same answer as markdown', async () => {
    const held = server.holdMarkdown();
    await chat.open(server.chatUrl, { markdown: false });
    await chat.send(initMessage([userMessage('Fix it'), assistantMessage(answer)]));
    await page.getByRole('textbox', { name: 'Message' }).waitFor();
    const body = page.locator('.assistant-turn .markdown-body');
    await body.locator('.md-plain').first().waitFor();
    // Plain: the source as text, nothing parsed (no <strong>, no code block), nothing lost.
    assert.equal(await body.locator('strong').count(), 0);
    assert.equal(await body.locator('.code-block').count(), 0);
    assert.match(await body.innerText(), /The fix is \*\*bold\*\*\.[\s\S]*const x = 1;[\s\S]*Done\./);

    held.release();
    await chat.untilMarkdownLoaded();
    await body.locator('strong', { hasText: 'bold' }).waitFor();
    await body.locator('.code-block pre code.language-ts').waitFor();
    assert.equal(await body.locator('.md-plain').count(), 0, 'no plain paragraph left');
    // Exactly what the renderer gives the same text when it is there from the start, both read
    // once idle time has highlighted the code (before, either page could be read in between).
    await body.locator('.code-block code .hljs-keyword').waitFor();
    const lateHtml = await body.innerHTML();
    const early = new ChatPage(await fixture.browser().newPage({ viewport: { width: 420, height: 700 } }));
    await early.open(server.chatUrl);
    await early.send(initMessage([userMessage('Fix it'), assistantMessage(answer)]));
    const earlyBody = early.page.locator('.assistant-turn .markdown-body');
    await earlyBody.locator('strong').waitFor();
    await earlyBody.locator('.code-block code .hljs-keyword').waitFor();
    assert.equal(lateHtml, await earlyBody.innerHTML());
    await early.page.close();
  });

  it('renders an answer streamed before the renderer arrived, and the stream goes on as markdown', async () => {
    const held = server.holdMarkdown();
    await chat.open(server.chatUrl, { markdown: false });
    await chat.send(initMessage([userMessage('Go')]));
    await chat.send({ type: 'state', busy: true });
    const id = 'streamed1';
    await chat.send({ type: 'messageAdded', message: { id, role: 'assistant', content: [], createdAt: 2, model: 'claude-sonnet-4-6', status: 'streaming' } });
    await chat.send({ type: 'delta', messageId: id, ops: [{ op: 'start', index: 0, block: { type: 'text', text: '' } }, { op: 'append', index: 0, text: 'First **part**.\n\n' }] });
    await page.locator('.md-plain', { hasText: 'First **part**.' }).waitFor();
    held.release();
    await chat.untilMarkdownLoaded();
    await page.locator('.markdown-body strong', { hasText: 'part' }).waitFor();
    await chat.send({ type: 'delta', messageId: id, ops: [{ op: 'append', index: 0, text: 'Then *more*.' }] });
    await page.locator('.markdown-body em', { hasText: 'more' }).waitFor();
    assert.equal(await page.locator('.md-plain').count(), 0);
  });

  it('keeps the answers readable as plain text and says why when the renderer cannot load', async () => {
    server.failMarkdown = true;
    await chat.open(server.chatUrl, { markdown: false });
    await chat.send(initMessage([userMessage('Fix it'), assistantMessage(answer)]));
    await page.waitForFunction(() => (globalThis as unknown as { __posted: { type: string; message?: string }[] }).__posted.some((m) => m.type === 'log' && /markdown renderer .* did not load/.test(m.message ?? '')));
    assert.match(await page.locator('.assistant-turn .markdown-body').innerText(), /The fix is \*\*bold\*\*/);
    await page.getByRole('textbox', { name: 'Message' }).fill('still works');
  });
});
