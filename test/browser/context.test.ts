// Context in the chat view, by keyboard alone, in a real Chromium under the extension's CSP: the
// `Context` listbox after `#`, the `Commands` listbox after `/`, chips with `Remove <label>`, the
// `Context window` meter, sent chips and the compaction marker after a reload.
import assert from 'node:assert/strict';
import type { ContextAttachment } from '../../src/shared/context';
import { assistantMessage, conversation, initMessage, useChatPage, userMessage } from './support/chatPage';

const chip = (label: string, tokens = 1234): ContextAttachment => ({ kind: 'file', label, path: label, language: 'typescript', text: 'export {};', tokens });

describe('context in the chat view (Chromium, keyboard only)', function () {
  const chat = useChatPage();
  const box = () => chat().page.getByRole('textbox', { name: 'Message' });

  it('# opens the Context listbox; arrows move the active option; Enter picks it and removes the #query', async () => {
    await chat().send(initMessage([]));
    await box().focus();
    await chat().page.keyboard.type('look at #cha');
    const listbox = chat().page.getByRole('listbox', { name: 'Context' });
    await listbox.waitFor();
    const queries = await chat().postedOfType('contextQuery');
    assert.equal(queries.at(-1)?.query, 'cha');
    assert.deepEqual(await listbox.getByRole('option').allInnerTexts(), ['changes the working tree diff (git)']);
    // The host answers; an older (stale) answer is ignored.
    await chat().send({ type: 'contextOptions', requestId: queries.at(-1)!.requestId - 1, options: [{ kind: 'file', label: 'stale.ts', path: 'stale.ts' }] });
    await chat().send({ type: 'contextOptions', requestId: queries.at(-1)!.requestId, options: [{ kind: 'file', label: 'src/chat.ts', path: 'src/chat.ts', detail: 'src' }, { kind: 'folder', label: 'src/chatty', path: 'src/chatty' }] });
    assert.equal(await listbox.getByRole('option').count(), 3);
    assert.equal(await listbox.getByRole('option', { name: /stale/ }).count(), 0);
    const activeId = async () => box().getAttribute('aria-activedescendant');
    const first = await activeId();
    assert.equal(await chat().page.locator(`#${first}`).getAttribute('aria-selected'), 'true');
    assert.equal(await box().getAttribute('aria-controls'), await listbox.getAttribute('id'));
    await chat().page.keyboard.press('ArrowDown');
    assert.match(await chat().page.locator(`#${await activeId()}`).innerText(), /src\/chat\.ts/);
    await chat().page.keyboard.press('Enter');
    assert.equal(await listbox.isVisible(), false);
    assert.equal(await box().inputValue(), 'look at ');
    assert.deepEqual((await chat().postedOfType('contextPick')).map((m) => m.option.label), ['src/chat.ts']);
    assert.equal((await chat().postedOfType('send')).length, 0, 'Enter picked, it did not send');
    assert.equal(await box().evaluate((el) => el === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement), true);
  });

  it('Escape closes the listbox without stopping an answer; Tab picks; a special entry needs no host answer', async () => {
    await chat().send(initMessage([], { busy: true }));
    await box().focus();
    await chat().page.keyboard.type('#');
    const listbox = chat().page.getByRole('listbox', { name: 'Context' });
    await listbox.waitFor();
    assert.deepEqual((await listbox.getByRole('option').allInnerTexts()).map((t) => t.split(' ')[0]), ['selection', 'problems', 'changes', 'terminal']);
    await chat().page.keyboard.press('Escape');
    assert.equal(await listbox.isVisible(), false);
    assert.equal((await chat().postedOfType('stop')).length, 0);
    await chat().page.keyboard.type('pro');
    await listbox.waitFor();
    await chat().page.keyboard.press('Tab');
    assert.deepEqual((await chat().postedOfType('contextPick')).map((m) => m.option), [{ kind: 'problems', label: 'problems', detail: 'errors and warnings of the active file, or the workspace' }]);
    assert.equal(await box().evaluate((el) => el === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement), true, 'Tab picked instead of moving focus');
  });

  it('/ at the start opens the Commands listbox, filtered as you type; elsewhere it does not', async () => {
    await chat().send(initMessage([]));
    await box().focus();
    await chat().page.keyboard.type('/');
    const listbox = chat().page.getByRole('listbox', { name: 'Commands' });
    await listbox.waitFor();
    assert.deepEqual((await listbox.getByRole('option').allInnerTexts()).map((t) => t.split(' ')[0]), ['/explain', '/fix', '/tests', '/doc', '/compact', '/new']);
    await chat().page.keyboard.type('co');
    assert.deepEqual((await listbox.getByRole('option').allInnerTexts()).map((t) => t.split(' ')[0]), ['/compact']);
    await chat().page.keyboard.press('Enter');
    assert.equal(await box().inputValue(), '/compact ');
    assert.equal(await listbox.isVisible(), false);
    assert.equal((await chat().postedOfType('send')).length, 0);
    await chat().page.keyboard.press('Enter');
    assert.deepEqual((await chat().postedOfType('send')).map((m) => m.text), ['/compact ']);
    await chat().page.keyboard.type('a/b');
    assert.equal(await chat().page.getByRole('listbox').count(), 0);
  });

  it('chips show their size, are removed by keyboard, and go with the prompt', async () => {
    await chat().send(initMessage([]));
    await chat().send({ type: 'contextMeter', meter: { usedTokens: 10_000, windowTokens: 200_000, compactAtPercent: 80 } });
    const meter = chat().page.getByRole('meter', { name: 'Context window' });
    assert.equal(await meter.getAttribute('aria-valuenow'), '5');
    await chat().send({ type: 'contextChip', chip: chip('src/a.ts') });
    await chat().send({ type: 'contextChip', chip: chip('src/b.ts', 10_000) });
    await chat().send({ type: 'contextChip', chip: chip('src/a.ts') });
    const chips = chat().page.getByRole('list', { name: 'Attached context' });
    assert.deepEqual((await chips.getByRole('listitem').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ')), ['src/b.ts 10k tokens', 'src/a.ts 1.2k tokens'], 'the same file twice is one chip');
    assert.equal(await meter.getAttribute('aria-valuenow'), '10', 'the chips count in the meter');
    await chat().page.getByRole('button', { name: 'Remove src/b.ts' }).focus();
    await chat().page.keyboard.press('Enter');
    assert.equal(await chat().page.getByRole('button', { name: 'Remove src/b.ts' }).count(), 0);
    assert.equal(await chat().page.getByRole('button', { name: 'Remove src/a.ts' }).evaluate((el) => el === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement), true, 'focus moves to the next chip');
    await chat().page.keyboard.press('Enter');
    assert.equal(await box().evaluate((el) => el === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement), true, 'then back to the Message box');
    await chat().send({ type: 'contextChip', chip: chip('src/c.ts') });
    await box().focus();
    await chat().page.keyboard.type('what is this?');
    await chat().page.keyboard.press('Enter');
    const [sent] = await chat().postedOfType('send');
    assert.deepEqual(sent.context?.map((c) => c.label), ['src/c.ts']);
    assert.equal(await chat().page.getByRole('button', { name: /^Remove / }).count(), 0, 'sent chips leave the composer');
  });

  it('warns at the compaction share, reports pick errors, shows instruction chips', async () => {
    await chat().send(initMessage([]));
    await chat().send({ type: 'contextMeter', meter: { usedTokens: 170_000, windowTokens: 200_000, compactAtPercent: 80 } });
    const meter = chat().page.getByRole('meter', { name: 'Context window' });
    assert.equal(await meter.getAttribute('aria-valuenow'), '85');
    assert.match(await meter.getAttribute('aria-valuetext') ?? '', /85% of 200,000 tokens.*summarised when you send/);
    await chat().send({ type: 'contextError', label: 'terminal', message: 'Shell integration is not active in the terminal.' });
    assert.match(await chat().page.getByRole('alert').filter({ hasText: 'terminal' }).innerText(), /Shell integration is not active/);
    await chat().send({ type: 'instructions', files: [{ label: 'AGENTS.md', tokens: 300 }] });
    assert.equal(await chat().page.getByText('Instructions: AGENTS.md').count(), 1);
  });

  it('a reopened conversation shows the sent chips and where the summary begins', async () => {
    const messages = [userMessage('old'), assistantMessage('old answer'), userMessage('explain', { context: [chip('src/x.ts', 500)] }), assistantMessage('it does x')];
    const conv = conversation(messages);
    conv.compaction = { summary: 's', firstKeptMessageId: messages[2].id, createdAt: 2, tokensBefore: 40_000, tokensAfter: 900, usdSpent: 0.0123 };
    await chat().send({ ...initMessage([]), conversation: conv });
    const you = chat().page.getByRole('article', { name: 'You' }).nth(1);
    assert.match(await you.getByRole('list', { name: 'Attached context' }).innerText(), /src\/x\.ts\s*500 tokens/);
    const marker = chat().page.getByRole('note', { name: 'Summary begins' });
    assert.match(await marker.innerText(), /40,000 → 900 tokens, the summary cost \$0\.0123/);
    const order = await chat().page.locator('.compaction-marker, article').evaluateAll((els) => els.map((el) => (el as { className: string }).className.split(' ')[0]));
    assert.deepEqual(order, ['turn', 'turn', 'compaction-marker', 'turn', 'turn']);
  });
});
