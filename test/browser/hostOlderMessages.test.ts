// A long conversation's `init` carries only its newest turns; the webview asks the host for the
// older ones after its first paint and ends with all of them (issue 15: the chat view shows within
// 300 ms with 2,000 stored messages). The host is played by the test, with the host's own cut.
import assert from 'node:assert/strict';
import type { StoredMessage } from '../../src/shared/model';
import type { HostToWebview, WebviewToHost } from '../../src/shared/protocol';
import { splitIndex } from '../../src/shared/snapshotSplit';
import { conversation, initMessage, longConversation, userMessage, assistantMessage, useChatPage, type ChatPage } from './support/chatPage';

type LoadOlder = Extract<WebviewToHost, { type: 'loadOlderMessages' }>;

/** The init the host sends: the newest messages, and how many older ones it holds back. */
function splitInit(messages: StoredMessage[]): { init: HostToWebview; split: number } {
  const split = splitIndex(messages);
  return { init: initMessage(messages.slice(split), { olderMessages: split }), split };
}

/** Waits for the view's request (it comes after the first paint) and returns it. */
async function requestOf(chat: ChatPage): Promise<LoadOlder> {
  await chat.page.waitForFunction(() => (globalThis as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'loadOlderMessages'));
  const [request] = await chat.postedOfType('loadOlderMessages');
  return request;
}

/** The host's answer: the older messages in parts of 200, oldest first. */
function parts(older: StoredMessage[], request: LoadOlder): HostToWebview[] {
  const out: HostToWebview[] = [];
  for (let start = 0; start < older.length; start += 200) {
    out.push({ type: 'olderMessages', requestId: request.requestId, before: request.before, messages: older.slice(start, start + 200), attachmentUris: {}, done: start + 200 >= older.length });
  }
  return out;
}

/**
 * The host's side after the view asked: an update to an older message sent before its part (applied
 * once it has), then the parts; the view ends with every turn, the bottom kept in view, the first
 * message at the top.
 */
async function deliverOlder(chat: ChatPage, messages: StoredMessage[], split: number, request: LoadOlder): Promise<void> {
  const page = chat.page;
  await chat.send({ type: 'messageUpdated', messageId: messages[1].id, usage: { input_tokens: 4321, output_tokens: 5 } });
  for (const part of parts(messages.slice(0, split), request)) await chat.send(part);
  await chat.untilTurns(messages.length);
  assert.match(await page.getByRole('article').last().innerText(), /Answer 999/, 'still at the bottom');
  const gap = await page.getByRole('log').evaluate((el) => el.scrollHeight - el.clientHeight - el.scrollTop);
  assert.ok(gap <= 2, `the bottom stays in view while older turns come in above (gap ${gap})`);
  await page.getByRole('log').evaluate((el) => { el.scrollTop = 0; });
  await page.waitForFunction(() => /Question number 0:/.test((globalThis as unknown as { document: { querySelector(s: string): { textContent: string } | null } }).document.querySelector('[role=log] article')?.textContent ?? ''));
  assert.equal(await page.getByRole('article').first().getAttribute('aria-posinset'), '1');
  assert.match(await page.getByRole('article').nth(1).locator('.turn-footer').innerText(), /4,321 in/);
}

describe('older messages from the host (Chromium)', function () {
  this.timeout(60_000);
  const chat = useChatPage();

  it('shows the newest turns from init, asks for the older ones after painting, and ends with every turn', async () => {
    const page = chat().page;
    const messages = longConversation(2000);
    const { init, split } = splitInit(messages);
    await chat().send(init);
    assert.match(await page.getByRole('article').last().innerText(), /Answer 999/);
    const request = await requestOf(chat());
    assert.deepEqual(request, { type: 'loadOlderMessages', requestId: request.requestId, conversationId: 'c1', before: messages[split].id });
    // An update to an older message before its part arrived: applied once it has.
    await deliverOlder(chat(), messages, split, request);
    assert.deepEqual((await chat().postedOfType('log')).filter((m) => m.level !== 'info'), []);
    assert.equal((await chat().postedOfType('loadOlderMessages')).length, 1, 'asked once');
  });

  it('switching to a long conversation (`conversation` split like init) asks for its older turns and ends with every turn', async () => {
    const page = chat().page;
    await chat().send(initMessage([userMessage('A short chat'), assistantMessage('Short answer')]));
    await chat().untilTurns(2);
    const messages = longConversation(2000);
    const split = splitIndex(messages);
    await chat().send({ type: 'conversation', conversation: { ...conversation(messages.slice(split)), id: 'c2' }, attachmentUris: {}, olderMessages: split });
    assert.match(await page.getByRole('article').last().innerText(), /Answer 999/);
    const request = await requestOf(chat());
    assert.deepEqual(request, { type: 'loadOlderMessages', requestId: request.requestId, conversationId: 'c2', before: messages[split].id });
    await deliverOlder(chat(), messages, split, request);

    // Switching again, then away before that request is answered: its parts change nothing.
    await chat().send({ type: 'conversation', conversation: { ...conversation(messages.slice(split)), id: 'c3' }, attachmentUris: {}, olderMessages: split });
    await page.waitForFunction(() => (globalThis as unknown as { __posted: { type: string }[] }).__posted.filter((m) => m.type === 'loadOlderMessages').length === 2);
    const [, stale] = await chat().postedOfType('loadOlderMessages');
    assert.equal(stale.conversationId, 'c3');
    await chat().send({ type: 'conversation', conversation: { ...conversation([userMessage('Back to short'), assistantMessage('Yes')]), id: 'c4' }, attachmentUris: {} });
    for (const part of parts(messages.slice(0, split), stale)) await chat().send(part);
    await chat().untilTurns(2);
    assert.match(await page.getByRole('log').innerText(), /Back to short/);
    assert.doesNotMatch(await page.getByRole('log').innerText(), /Question number/, 'no stale older turn was put above');
    assert.deepEqual((await chat().postedOfType('log')).filter((m) => m.level !== 'info'), []);
  });

  it('a reload half-way asks again, ignores the old request\'s parts and still ends with every turn', async () => {
    const page = chat().page;
    const messages = longConversation(2000);
    const { init, split } = splitInit(messages);
    await chat().send(init);
    const first = await requestOf(chat());
    const firstParts = parts(messages.slice(0, split), first);
    await chat().send(firstParts[0]);
    // The view is hidden and shown again: a new frame, `ready`, a fresh init.
    await page.reload();
    await page.waitForFunction(() => (globalThis as unknown as { __posted: unknown[] }).__posted.length > 0);
    assert.equal((await chat().postedOfType('ready')).length, 1, 'the new frame said ready');
    await chat().send(init);
    const second = await requestOf(chat());
    for (const part of parts(messages.slice(0, split), second)) await chat().send(part);
    await chat().untilTurns(2000);
    await page.getByRole('log').evaluate((el) => { el.scrollTop = 0; });
    await page.waitForFunction(() => /Question number 0:/.test((globalThis as unknown as { document: { querySelector(s: string): { textContent: string } | null } }).document.querySelector('[role=log] article')?.textContent ?? ''));
    // Parts for a request the view no longer waits for change nothing.
    await chat().send({ ...firstParts.at(-1)!, requestId: 99 });
    await chat().untilTurns(2000);
    assert.deepEqual((await chat().postedOfType('log')).filter((m) => m.level !== 'info'), []);
  });
});
