// Keyboard and screen-reader behaviour of the chat view in Chromium: the Tab order, focusable and
// scrollable code blocks, where focus lands after Send, Stop, New chat, an approval and an error,
// the keyboard help dialog, announcements (once per answer, approvals at once, Copy), thinking as
// markdown, and a 250 px wide sidebar where nothing but code and tables scrolls sideways.
import assert from 'node:assert/strict';
import type { StoredMessage, ToolCallState } from '../../src/shared/model';
import { markdownAnswer } from './support/a11yStates';
import { announcements, focusedName, overflowingElements, recordAnnouncements } from './support/a11yPage';
import { assistantMessage, initMessage, useChatPage, userMessage, type ChatPage } from './support/chatPage';

const streaming = (id: string): StoredMessage => ({ id, role: 'assistant', content: [], createdAt: 2, model: 'claude-sonnet-4-6', status: 'streaming' });
const readApproval = (id: string, target: string): ToolCallState => ({ toolUseId: id, tool: 'read_file', target, status: 'awaiting_approval', approval: { kind: 'allow_deny', reason: `${target} is outside the auto-approved set.` } });

async function tabUntil(chat: ChatPage, name: string, limit = 40): Promise<string[]> {
  const seen: string[] = [];
  for (let i = 0; i < limit; i += 1) {
    await chat.page.keyboard.press('Tab');
    const focused = await focusedName(chat.page);
    seen.push(focused);
    if (focused === name) return seen;
  }
  throw new Error(`never reached "${name}"; Tab order was: ${seen.join(' | ')}`);
}

describe('keyboard and screen readers in the chat view (Chromium)', function () {
  this.timeout(30_000);
  const chat = useChatPage();

  it('Tab reaches every control in reading order: header, conversation, code block, composer', async () => {
    await chat().send(initMessage([userMessage('q'), assistantMessage('See [docs](https://example.com).\n\n```ts\nconst x = 1;\n```')]));
    const order = await tabUntil(chat(), 'button Send');
    const index = (name: string) => { const at = order.indexOf(name); assert.ok(at >= 0, `${name} not reached: ${order.join(' | ')}`); return at; };
    const sequence = ['button New chat', 'button Keyboard shortcuts', 'log Conversation', 'a docs', 'button Copy', 'button Insert at cursor', 'group Code, ts', 'textarea Message', 'button Attach image', 'select Model', 'button Send'];
    const positions = sequence.map(index);
    assert.deepEqual([...positions].sort((a, b) => a - b), positions, `Tab order: ${order.join(' | ')}`);
  });

  it('a code block is a named tab stop that scrolls with the arrow keys', async () => {
    const long = `const line = "${'x'.repeat(400)}";`;
    await chat().send(initMessage([userMessage('q'), assistantMessage(`\`\`\`typescript\n${long}\n\`\`\``)]));
    const code = chat().page.getByRole('group', { name: 'Code, typescript' });
    assert.equal(await code.getAttribute('tabindex'), '0');
    await code.focus();
    assert.equal(await code.evaluate((element) => (element as unknown as { scrollLeft: number }).scrollLeft), 0);
    for (let i = 0; i < 5; i += 1) await chat().page.keyboard.press('ArrowRight');
    // Chromium animates keyboard scrolling: on a loaded machine the first frame of it can come after
    // the last key press, so wait for the scroll rather than read it once.
    await chat().page.waitForFunction((element) => (element as unknown as { scrollLeft: number }).scrollLeft > 0, await code.elementHandle(), { timeout: 10_000 })
      .catch(() => assert.fail('ArrowRight did not scroll the code'));
  });

  it('focus stays in Message after Send (button or Enter) and returns to it after Stop and New chat', async () => {
    await chat().send(initMessage([]));
    const page = chat().page;
    const box = page.getByRole('textbox', { name: 'Message' });
    await box.fill('first');
    await page.getByRole('button', { name: 'Send' }).click();
    assert.equal(await focusedName(page), 'textarea Message', 'after the Send button');
    await chat().send({ type: 'state', busy: true });
    await page.getByRole('button', { name: 'Stop' }).focus();
    await page.keyboard.press('Enter');
    assert.deepEqual(await chat().postedOfType('stop'), [{ type: 'stop' }]);
    await chat().send({ type: 'state', busy: false });
    assert.equal(await focusedName(page), 'textarea Message', 'after Stop');
    await page.getByRole('button', { name: 'New chat' }).focus();
    await page.keyboard.press('Enter');
    assert.deepEqual(await chat().postedOfType('newChat'), [{ type: 'newChat' }]);
    assert.equal(await focusedName(page), 'textarea Message', 'after New chat');
  });

  it('after an approval focus goes to the next pending approval, then to Message', async () => {
    await chat().send(initMessage([userMessage('read both')]));
    await chat().send({ type: 'messageAdded', message: streaming('m1') });
    await chat().send({ type: 'toolCall', messageId: 'm1', call: readApproval('t1', 'a.env') });
    await chat().send({ type: 'toolCall', messageId: 'm1', call: readApproval('t2', 'b.env') });
    const page = chat().page;
    const allowButtons = page.getByRole('button', { name: 'Allow' });
    await allowButtons.first().focus();
    await page.keyboard.press('Enter');
    assert.equal(await focusedName(page), 'button Allow');
    assert.equal(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { closest(s: string): { getAttribute(n: string): string } } } }).document.activeElement.closest('.tool-card').getAttribute('aria-label')), 'Tool call: read_file b.env');
    await page.keyboard.press('Tab');
    assert.equal(await focusedName(page), 'button Deny');
    await page.keyboard.press('Enter');
    assert.equal(await focusedName(page), 'textarea Message');
    assert.deepEqual((await chat().postedOfType('toolDecision')).map((m) => [m.toolUseId, m.decision]), [['t1', 'allow'], ['t2', 'deny']]);
  });

  it('an error takes focus: its Retry button, or the alert itself when there is nothing to retry', async () => {
    await chat().send(initMessage([userMessage('hi')]));
    const page = chat().page;
    await chat().send({ type: 'error', error: { kind: 'network', message: 'Offline.' } });
    assert.equal(await focusedName(page), 'button Retry');
    await page.keyboard.press('Enter');
    assert.deepEqual(await chat().postedOfType('retry'), [{ type: 'retry' }]);
    await chat().send({ type: 'error', error: { kind: 'permission', message: 'Not allowed.' } });
    assert.match(await focusedName(page), /^alert Not allowed\./);
    // Someone typing a new message keeps their focus.
    await page.getByRole('textbox', { name: 'Message' }).fill('typing');
    await chat().send({ type: 'error', error: { kind: 'network', message: 'Offline again.' } });
    assert.equal(await focusedName(page), 'textarea Message');
  });

  it('Keyboard shortcuts opens an accessible dialog; ? opens it outside the Message box; Escape closes it and stops nothing', async () => {
    await chat().send(initMessage([userMessage('q')], { busy: true }));
    const page = chat().page;
    await page.getByRole('button', { name: 'Keyboard shortcuts' }).click();
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await dialog.waitFor();
    assert.match(await dialog.innerText(), /Enter[\s\S]*Send the message[\s\S]*Escape[\s\S]*Stop the answer/);
    assert.equal(await focusedName(page), 'button Close');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await focusedName(page), 'button Keyboard shortcuts', 'focus returns to the opener');
    assert.deepEqual(await chat().postedOfType('stop'), [], 'Escape closed the dialog only');
    await page.getByRole('log').focus();
    await page.keyboard.press('?');
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('textbox', { name: 'Message' }).press('?');
    assert.equal(await page.getByRole('dialog').count(), 0);
    assert.equal(await page.getByRole('textbox', { name: 'Message' }).inputValue(), '?');
  });

  it('a streamed answer is announced once, when finished; the log itself stays silent', async () => {
    await chat().send(initMessage([userMessage('hello')]));
    const page = chat().page;
    await recordAnnouncements(page);
    assert.equal(await page.getByRole('log').getAttribute('aria-live'), 'off');
    await chat().send({ type: 'state', busy: true });
    await chat().send({ type: 'messageAdded', message: streaming('m1') });
    await chat().send({ type: 'delta', messageId: 'm1', ops: [{ op: 'start', index: 0, block: { type: 'text', text: '' } }] });
    const text = `The **answer** is simple. ${'More words follow here. '.repeat(20)}`;
    for (let i = 0; i < text.length; i += 9) {
      await chat().send({ type: 'delta', messageId: 'm1', ops: [{ op: 'append', index: 0, text: text.slice(i, i + 9) }] });
      if (i % 45 === 0) await chat().nextFrame();
    }
    assert.deepEqual(await announcements(page), { polite: [], assertive: [] }, 'nothing while streaming');
    await chat().send({ type: 'delta', messageId: 'm1', ops: [{ op: 'finish', index: 0, block: { type: 'text', text } }] });
    await chat().send({ type: 'messageUpdated', messageId: 'm1', status: 'complete' });
    await chat().send({ type: 'state', busy: false });
    const said = await announcements(page);
    assert.equal(said.polite.length, 1, JSON.stringify(said));
    assert.match(said.polite[0], /^Assistant answered: The answer is simple\. More words/);
    assert.ok(said.polite[0].length <= 'Assistant answered: '.length + 201, 'a short summary');
    assert.ok(said.polite[0].endsWith('…'));
  });

  it('an approval that waits for the user is announced at once (assertive); a stopped answer says so', async () => {
    await chat().send(initMessage([userMessage('hello')]));
    const page = chat().page;
    await recordAnnouncements(page);
    await chat().send({ type: 'messageAdded', message: streaming('m1') });
    await chat().send({ type: 'delta', messageId: 'm1', ops: [{ op: 'start', index: 0, block: { type: 'text', text: 'Half an ans' } }] });
    await chat().send({ type: 'toolCall', messageId: 'm1', call: { toolUseId: 't1', tool: 'read_file', target: 'secret.env', status: 'validating' } });
    await chat().send({ type: 'toolCall', messageId: 'm1', call: readApproval('t1', 'secret.env') });
    assert.deepEqual((await announcements(page)).assertive, ['Approval needed: read_file secret.env. secret.env is outside the auto-approved set. Allow or Deny.']);
    await chat().send({ type: 'messageUpdated', messageId: 'm1', status: 'interrupted' });
    assert.deepEqual((await announcements(page)).polite, ['Answer stopped: Half an ans']);
  });

  it('Copy shows "Copied", announces it every time, and keeps its name', async () => {
    await chat().send(initMessage([userMessage('q'), assistantMessage('```js\nlet a = 1;\n```')]));
    const page = chat().page;
    await recordAnnouncements(page);
    const copy = page.getByRole('button', { name: 'Copy' });
    await copy.click();
    await copy.click();
    assert.equal(await page.locator('.copy-feedback').count(), 1);
    assert.equal(await page.locator('.copy-feedback').innerText(), 'Copied');
    assert.deepEqual((await announcements(page)).polite, ['Copied to clipboard', 'Copied to clipboard']);
    assert.equal(await page.getByRole('button', { name: 'Copy' }).count(), 1);
    assert.equal((await chat().postedOfType('copy')).length, 2);
  });

  it('thinking is rendered as sanitised markdown inside its collapsed region', async () => {
    const thinking = 'Consider **both** options:\n\n- `Set`\n- `Map`\n\n<img src=x onerror="alert(1)"> [bad](javascript:alert(1))';
    await chat().send(initMessage([userMessage('q'), assistantMessage('', { content: [{ type: 'thinking', thinking, signature: 's' }, { type: 'text', text: 'Use a Set.' }] })]));
    const details = chat().page.locator('details.thinking');
    assert.equal(await details.getAttribute('open'), null, 'collapsed');
    const body = details.locator('.thinking-text');
    assert.equal(await body.locator('strong').textContent(), 'both');
    assert.equal(await body.locator('li code').count(), 2);
    assert.equal(await body.locator('img').count(), 0);
    assert.equal(await body.locator('a[href^="javascript"]').count(), 0);
  });
});

describe('the chat view in a 250 px wide sidebar (Chromium)', function () {
  this.timeout(30_000);
  const narrow = useChatPage({ viewport: { width: 250, height: 700 } });

  it('nothing sticks out sideways except inside code and table scrollers; the composer wraps', async () => {
    const page = narrow().page;
    await narrow().send(initMessage([
      userMessage(`A long prompt with a path /very/long/path/${'segment/'.repeat(20)}file.ts`),
      assistantMessage(markdownAnswer, { usage: { input_tokens: 123456, output_tokens: 7890 }, usdSpent: 1.2345 }),
    ]));
    await narrow().send({ type: 'messageAdded', message: streaming('m9') });
    await narrow().send({ type: 'toolCall', messageId: 'm9', call: { ...readApproval('t9', `src/${'deeply/'.repeat(12)}nested.ts`), approval: { kind: 'apply_discard', reason: 'Review the edit.', hunks: [{ index: 0, header: `@@ -1,3 +1,3 @@ ${'function '.repeat(8)}`, preview: `-${'old '.repeat(40)}\n+${'new '.repeat(40)}` }] } } });
    await narrow().send({ type: 'error', error: { kind: 'network', message: 'The AI/ML API could not be reached. Check your connection and try again.' } });
    await narrow().nextFrame();
    assert.deepEqual(await overflowingElements(page), []);
    const table = page.getByRole('group', { name: 'Table' }).first();
    // A table either fits (its cells wrap) or scrolls inside its own frame; its frame stays in the view.
    const frame = await table.boundingBox();
    assert.ok(frame && frame.x + frame.width <= 250, `the table's frame is inside the view: ${JSON.stringify(frame)}`);
    assert.equal(await table.evaluate((element) => (globalThis as unknown as { getComputedStyle(e: unknown): { overflowX: string } }).getComputedStyle(element).overflowX), 'auto', 'a wider table would scroll inside its frame');
    const send = await page.getByRole('button', { name: 'Send' }).boundingBox();
    assert.ok(send && send.x + send.width <= 250, `Send is inside the view: ${JSON.stringify(send)}`);
  });
});
