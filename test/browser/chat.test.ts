// The chat view in a real Chromium under the extension's CSP: handshake, conversation rendering,
// the composer's keyboard behaviour, code-block and link actions, the header, the welcome panel.
import assert from 'node:assert/strict';
import { assistantMessage, initMessage, longConversation, useChatPage, userMessage } from './support/chatPage';

describe('chat view (Chromium)', function () {
  const chat = useChatPage();

  it('posts ready once at start and nothing else before init', async () => {
    await chat().nextFrame();
    assert.deepEqual(await chat().posted(), [{ type: 'ready' }]);
  });

  it('renders the conversation from init with the accessible roles and names', async () => {
    const toolLoop = [
      userMessage('Find the bug'),
      assistantMessage('Let me look.', { content: [{ type: 'text', text: 'Let me look.' }, { type: 'tool_use', id: 't1', name: 'read_file', input: { path: 'a.ts' } }] }),
      userMessage('', { kind: 'tool_results', content: [{ type: 'tool_result', tool_use_id: 't1', content: 'file text' }] }),
      assistantMessage('Found it: **off by one**.'),
    ];
    await chat().send(initMessage(toolLoop));
    const page = chat().page;
    await page.getByRole('log').waitFor();
    const articles = page.getByRole('log').getByRole('article');
    assert.equal(await articles.count(), 2, 'the tool loop is one Assistant article; tool results are not a You turn');
    assert.equal(await page.getByRole('article', { name: 'You' }).count(), 1);
    const assistant = page.getByRole('article', { name: 'Assistant' });
    assert.match(await assistant.innerText(), /Let me look\.[\s\S]*read_file[\s\S]*Found it: off by one\./);
    // Silent log: answers are announced once through the announcer (keyboard.test.ts).
    assert.equal(await page.getByRole('log').getAttribute('aria-live'), 'off');
    assert.equal(await page.getByRole('combobox', { name: 'Model' }).inputValue(), 'claude-sonnet-4-6');
    assert.match(await page.locator('.totals').innerText(), /1,200 in · 345 out · \$0\.0123/);
  });

  it('ignores invalid host messages and logs a warning', async () => {
    await chat().send({ type: 'delta', messageId: 42 });
    await chat().send({ type: 'nonsense' });
    const logs = await chat().postedOfType('log');
    assert.equal(logs.length, 2);
    assert.ok(logs.every((log) => log.level === 'warn' && /invalid host message/.test(log.message)));
  });

  it('Enter sends, Shift+Enter adds a line, Up in an empty box recalls the last prompt', async () => {
    await chat().send(initMessage([]));
    const box = chat().page.getByRole('textbox', { name: 'Message' });
    await box.click();
    await box.type('first line');
    await box.press('Shift+Enter');
    await box.type('second line');
    assert.equal(await box.inputValue(), 'first line\nsecond line');
    await box.press('Enter');
    const sends = await chat().postedOfType('send');
    assert.deepEqual(sends, [{ type: 'send', text: 'first line\nsecond line', attachments: [] }]);
    assert.equal(await box.inputValue(), '');
    await box.press('ArrowUp');
    assert.equal(await box.inputValue(), 'first line\nsecond line');
    // Up in a box with text moves the caret as usual.
    await box.press('ArrowUp');
    assert.equal(await box.inputValue(), 'first line\nsecond line');
  });

  it('Send button sends; an empty message is not sent', async () => {
    await chat().send(initMessage([]));
    const page = chat().page;
    const send = page.getByRole('button', { name: 'Send' });
    assert.equal(await send.getAttribute('aria-disabled'), 'true');
    await send.click({ force: true });
    assert.equal((await chat().postedOfType('send')).length, 0);
    await page.getByRole('textbox', { name: 'Message' }).fill('hello');
    await page.getByRole('button', { name: 'Send' }).click();
    assert.deepEqual(await chat().postedOfType('send'), [{ type: 'send', text: 'hello', attachments: [] }]);
  });

  it('Up recalls the last prompt of a restored conversation', async () => {
    await chat().send(initMessage([userMessage('from history'), assistantMessage('ok')]));
    const box = chat().page.getByRole('textbox', { name: 'Message' });
    await box.focus();
    await box.press('ArrowUp');
    assert.equal(await box.inputValue(), 'from history');
  });

  it('Copy and Insert at cursor post the code; links post openLink with the full URL', async () => {
    const url = 'https://example.com/a/long/path?with=query#and-hash';
    await chat().send(initMessage([userMessage('q'), assistantMessage(`Read [the guide](${url}).\n\n\`\`\`python\nprint("hi")\n\`\`\``)]));
    const page = chat().page;
    await page.getByRole('button', { name: 'Copy' }).click();
    await page.getByRole('button', { name: 'Insert at cursor' }).click();
    const link = page.getByRole('link', { name: 'the guide' });
    assert.equal(await link.getAttribute('title'), url);
    await link.click();
    assert.equal(page.url().endsWith('/chat.html'), true, 'the webview never navigates');
    assert.deepEqual((await chat().posted()).filter((m) => m.type !== 'ready'), [
      { type: 'copy', text: 'print("hi")\n' },
      { type: 'insertAtCursor', code: 'print("hi")\n' },
      { type: 'openLink', href: url },
    ]);
  });

  it('header buttons, model picker and Attach image post their messages', async () => {
    await chat().send(initMessage([]));
    const page = chat().page;
    await page.getByRole('button', { name: 'New chat' }).click();
    // History is a title-bar action of the view (package.json), not repeated inside it.
    assert.equal(await page.getByRole('button', { name: 'History' }).count(), 0);
    await page.getByRole('button', { name: 'Attach image' }).click();
    await page.getByRole('combobox', { name: 'Model' }).selectOption('claude-opus-4-7');
    assert.deepEqual((await chat().posted()).slice(1), [
      { type: 'newChat' }, { type: 'pickImage' }, { type: 'selectModel', model: 'claude-opus-4-7' },
    ]);
    await chat().send({ type: 'state', model: 'claude-sonnet-4-6' });
    assert.equal(await page.getByRole('combobox', { name: 'Model' }).inputValue(), 'claude-sonnet-4-6');
  });

  it('shows a welcome panel with Set API key when there is no key', async () => {
    await chat().send(initMessage([], { hasApiKey: false }));
    const page = chat().page;
    await page.getByRole('button', { name: 'Set API key' }).click();
    assert.deepEqual(await chat().postedOfType('setApiKey'), [{ type: 'setApiKey' }]);
    await chat().send({ type: 'state', hasApiKey: true });
    assert.equal(await page.getByRole('button', { name: 'Set API key' }).count(), 0);
  });

  it('restorePrompt puts the prompt back; the draft survives a reload', async () => {
    await chat().send(initMessage([]));
    const page = chat().page;
    const box = page.getByRole('textbox', { name: 'Message' });
    await chat().send({ type: 'restorePrompt', text: 'the prompt that failed' });
    assert.equal(await box.inputValue(), 'the prompt that failed');
    await box.fill('a draft in progress');
    await page.reload();
    await chat().send(initMessage([]));
    assert.equal(await page.getByRole('textbox', { name: 'Message' }).inputValue(), 'a draft in progress');
  });

  it('a prompt restored twice (an error carrying it, then restorePrompt) lands in the composer once', async () => {
    await chat().send(initMessage([]));
    const box = chat().page.getByRole('textbox', { name: 'Message' });
    await box.fill('typed meanwhile');
    await chat().send({ type: 'error', error: { kind: 'network', message: 'Offline.' }, prompt: 'the question' });
    await chat().send({ type: 'restorePrompt', text: 'the question' });
    assert.equal(await box.inputValue(), 'the question\n\ntyped meanwhile');
  });

  it('a conversation message replaces the transcript; totals update the header', async () => {
    await chat().send(initMessage([userMessage('old question'), assistantMessage('old answer')]));
    await chat().send({ type: 'error', error: { kind: 'network', message: 'Offline.' } });
    const replacement = initMessage([userMessage('new question')]).conversation;
    await chat().send({ type: 'conversation', conversation: replacement, attachmentUris: {} });
    const page = chat().page;
    assert.equal(await page.getByRole('article').count(), 1);
    assert.match(await page.getByRole('article', { name: 'You' }).innerText(), /new question/);
    assert.equal(await page.getByRole('alert').count(), 0);
    await chat().send({ type: 'totals', totals: { inputTokens: 2000, outputTokens: 10, cacheReadTokens: 5, cacheWriteTokens: 0, usdSpent: 0.5 } });
    assert.equal(await page.locator('.totals').innerText(), '2,000 in · 10 out · $0.5000');
  });

  it('is usable with the keyboard alone: logical tab order, focusComposer', async () => {
    await chat().send(initMessage([userMessage('q'), assistantMessage('```\ncode\n```')]));
    const page = chat().page;
    await chat().send({ type: 'focusComposer', text: 'explain this' });
    const box = page.getByRole('textbox', { name: 'Message' });
    assert.equal(await box.inputValue(), 'explain this');
    const focusedName = () => page.evaluate(() => {
      const active = (globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null; textContent: string | null } | null } }).document.activeElement;
      return active?.getAttribute('aria-label') ?? active?.textContent?.trim() ?? '';
    });
    assert.equal(await focusedName(), 'Message');
    const order: string[] = [];
    for (let i = 0; i < 4; i += 1) { await page.keyboard.press('Tab'); order.push(await focusedName()); }
    assert.deepEqual(order, ['Attach image', 'Model', 'Mode', 'Send']);
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    assert.equal(await focusedName(), 'Code', 'the code block (a scrollable tab stop) comes before the composer');
    await page.keyboard.press('Shift+Tab');
    assert.equal(await focusedName(), 'Insert at cursor', 'then its buttons');
  });

  it('shows the per-answer footer with tokens, cache and cost', async () => {
    await chat().send(initMessage([userMessage('q'), assistantMessage('a', { usage: { input_tokens: 1500, output_tokens: 320, cache_read_input_tokens: 1000, cache_creation_input_tokens: 200 }, usdSpent: 0.01234 })]));
    assert.equal(await chat().page.locator('.turn-footer').innerText(), 'claude-sonnet-4-6 · 1,500 in · 320 out · cache read 1,000 · cache write 200 · $0.0123');
  });

  it('renders the newest turns of a 500-message conversation at once and never all of them (virtualised)', async () => {
    const messages = longConversation(500);
    const timing = await chat().measureInit(initMessage(messages));
    const page = chat().page;
    const rendered = await page.getByRole('article').count();
    assert.ok(rendered > 2 && rendered < 100, `only the turns near the viewport are in the DOM (got ${rendered})`);
    assert.match(await page.getByRole('article').last().innerText(), /Answer 249/);
    assert.ok(timing.paintedMs < 1000, `first paint after ${timing.paintedMs.toFixed(0)} ms`);
    await chat().untilTurns(500);
    await page.getByRole('log').evaluate((el) => { el.scrollTop = 0; });
    await page.getByRole('article').first().filter({ hasText: 'Question number 0:' }).waitFor();
    assert.ok(await page.getByRole('article').count() < 100);
  });

  it('raises no CSP violation while rendering a rich conversation', async () => {
    const markdown = '# Title\n\n| a | b |\n|:-|-:|\n| 1 | 2 |\n\n![remote](https://example.com/x.png)\n\n<img src=x onerror=alert(1)>\n\n```ts\nconst a = 1;\n```\n\n[link](https://example.com)';
    await chat().send(initMessage([userMessage('q'), assistantMessage(markdown, { content: [{ type: 'thinking', thinking: 'hmm', signature: 's' }, { type: 'text', text: markdown }] })]));
    await chat().send({ type: 'error', error: { kind: 'rate_limit', message: 'Slow down', retryAfterMs: 2000 } });
    await chat().nextFrame();
    await chat().page.waitForTimeout(300);
    assert.deepEqual(await chat().violations(), []);
  });
});
