// The virtualised transcript in Chromium: a 2,000-message conversation keeps only the turns near
// the viewport in the DOM (the rest are spacers), scrolling renders them, the reading position holds
// while turns above are measured, the bottom stays pinned while an answer streams, focus and the
// accessibility checks survive.
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { StoredMessage } from '../../src/shared/model';
import { runAxe } from './support/axe';
import { applyTheme, themes } from './support/themes';
import { initMessage, longConversation, useChatPage, userMessage, type ChatPage } from './support/chatPage';



/** Waits until the window has settled after a scroll (two animation frames). */
async function settle(page: Page): Promise<void> {
  await page.evaluate(() => new Promise<void>((done) => {
    const raf = (globalThis as unknown as { requestAnimationFrame(cb: () => void): void }).requestAnimationFrame;
    raf(() => raf(() => raf(() => done())));
  }));
}

async function scrollLogTo(page: Page, top: number | 'middle'): Promise<void> {
  await page.getByRole('log').evaluate((el, where) => { el.scrollTop = where === 'middle' ? el.scrollHeight / 2 : where; }, top);
  await settle(page);
}

/** The few DOM members the page functions below use (this file is type-checked without the DOM library). */
interface Box { getBoundingClientRect(): { top: number; bottom: number }; getAttribute(name: string): string | null; querySelectorAll(selector: string): ArrayLike<Box>; querySelector(selector: string): Box | null }

const articleCount = (page: Page) => page.getByRole('article').count();

/** Opens a 2,000-message conversation and waits until all of it is in the transcript. */
async function openLong(chat: ChatPage): Promise<void> {
  await chat.send(initMessage(longConversation(2000)));
  await chat.untilTurns(2000);
}

/** Dispatches messages in one task (nothing else of the page runs between them), then reads `probe`. */
function dispatchAll<T>(page: Page, messages: unknown[], probe: string): Promise<T> {
  return page.evaluate(`(() => { for (const m of ${JSON.stringify(messages)}) window.__dispatch(m); return ${probe}; })()`) as Promise<T>;
}

describe('virtualised transcript (Chromium)', function () {
  this.timeout(60_000);
  const chat = useChatPage();

  it('a 2,000-message conversation keeps a bounded DOM; turns outside the viewport are spacers', async () => {
    await openLong(chat());
    const page = chat().page;
    const articles = await articleCount(page);
    assert.ok(articles > 2 && articles <= 80, `only the turns near the viewport are rendered (got ${articles})`);
    assert.match(await page.getByRole('article').last().innerText(), /Answer 999/);
    assert.equal(await page.getByText('Question number 0:').count(), 0, 'the first turn is not in the DOM');
    const elements = await page.evaluate('document.getElementsByTagName("*").length') as number;
    assert.ok(elements < 3000, `DOM elements bounded (got ${elements})`);
    // The spacers stand for the rest: the log scrolls over the whole conversation.
    const log = await page.getByRole('log').evaluate((el) => ({ scrollHeight: el.scrollHeight, clientHeight: el.clientHeight, spacers: el.querySelectorAll('.turn-spacer').length }));
    assert.ok(log.scrollHeight > 100 * log.clientHeight, `scroll height ${log.scrollHeight} covers 2,000 turns`);
    assert.ok(log.spacers >= 1);
    const last = page.getByRole('article').last();
    assert.equal(await last.getAttribute('aria-posinset'), '2000');
    assert.equal(await last.getAttribute('aria-setsize'), '2000');
  });

  it('opens with the newest turns at once and restores the older ones after the first paint', async () => {
    const page = chat().page;
    const lastSetSize = 'document.querySelector("[role=log] .turn-slot:last-child article")?.getAttribute("aria-setsize")';
    const atOnce = await dispatchAll<string>(page, [initMessage(longConversation(2000))], lastSetSize);
    assert.ok(Number(atOnce) < 2000 && Number(atOnce) >= 100, `the newest turns first (${atOnce} of 2000)`);
    assert.match(await page.getByRole('article').last().innerText(), /Answer 999/);
    await chat().untilTurns(2000);
    assert.match(await page.getByRole('article').last().innerText(), /Answer 999/, 'still at the bottom');
    const gap = await page.getByRole('log').evaluate((el) => el.scrollHeight - el.clientHeight - el.scrollTop);
    assert.ok(gap <= 2, `the bottom stays in view while older turns come in above (gap ${gap})`);
    await scrollLogTo(page, 0);
    assert.match(await page.getByRole('article').first().innerText(), /Question number 0:/);
    assert.equal(await page.getByRole('article').first().getAttribute('aria-posinset'), '1');
    assert.deepEqual((await chat().postedOfType('log')).filter((m) => m.level !== 'info'), []);
  });

  it('keeps the reading position and updates to older messages while the older turns come in', async () => {
    const page = chat().page;
    const messages = longConversation(2000);
    const old = messages[1];
    // Scrolled up a little (within the rendered turns) before the older ones arrived; the first answer changes meanwhile.
    const before = await dispatchAll<{ text: string; offset: number }>(page, [
      initMessage(messages),
      { type: 'messageUpdated', messageId: old.id, usage: { input_tokens: 4321, output_tokens: 5 } },
    ], `(() => {
      const log = document.querySelector('[role=log]');
      log.scrollTop = log.scrollHeight - log.clientHeight - 400;
      log.dispatchEvent(new Event('scroll'));
      const top = log.getBoundingClientRect().top;
      const article = [...log.querySelectorAll('article')].find((a) => a.getBoundingClientRect().bottom > top + 40);
      return { text: article.innerText.slice(0, 60), offset: article.getBoundingClientRect().top - top };
    })()`);
    await chat().untilTurns(2000);
    await settle(page);
    const after = await page.getByRole('log').evaluate((element, text) => {
      const log = element as unknown as Box;
      const top = log.getBoundingClientRect().top;
      const article = Array.from(log.querySelectorAll('article')).find((a) => (a as unknown as { innerText: string }).innerText.startsWith(text));
      return article ? article.getBoundingClientRect().top - top : null;
    }, before.text);
    assert.notEqual(after, null, `the turn that was read (${before.text}) is still rendered`);
    assert.ok(Math.abs((after as number) - before.offset) <= 2, `it did not move (${before.offset} -> ${after})`);
    await scrollLogTo(page, 0);
    assert.match(await page.getByRole('article').nth(1).locator('.turn-footer').innerText(), /4,321 in/);
    assert.deepEqual((await chat().postedOfType('log')).filter((m) => /unknown|invalid/.test(m.message)), []);
  });

  it('scrolling renders the turns it reaches and drops the ones it leaves', async () => {
    await openLong(chat());
    const page = chat().page;
    await scrollLogTo(page, 0);
    assert.match(await page.getByRole('article').first().innerText(), /Question number 0:/);
    assert.equal(await page.getByRole('article').first().getAttribute('aria-posinset'), '1');
    assert.equal(await page.getByText('Answer 990', { exact: false }).count(), 0, 'turns near the end are gone again');
    await scrollLogTo(page, 'middle');
    const texts = await page.getByRole('article').allInnerTexts();
    assert.ok(texts.some((text) => /Question number (4\d\d|5\d\d):/.test(text)), 'turns from the middle are rendered');
    assert.ok(texts.length <= 80, `still bounded in the middle (got ${texts.length})`);
    assert.match(texts.at(-1) ?? '', /Answer 999/, 'the newest turn stays rendered (it takes new messages)');
    // A walk through the whole log in ten jumps (in the page: few round trips on a loaded machine):
    // the rendered turns move forward with the scroll position and reach the end.
    const walk = await page.getByRole('log').evaluate(async (element) => {
      const log = element as unknown as Box & { scrollTop: number; scrollHeight: number; clientHeight: number };
      const raf = (globalThis as unknown as { requestAnimationFrame(cb: () => void): void }).requestAnimationFrame;
      const seen: number[] = [];
      for (let step = 0; step <= 10; step++) {
        log.scrollTop = (step / 10) * (log.scrollHeight - log.clientHeight);
        await new Promise<void>((done) => raf(() => raf(() => raf(() => done()))));
        const positions = Array.from(log.querySelectorAll('article')).map((article) => Number(article.getAttribute('aria-posinset')));
        seen.push(positions.length > 1 ? positions[positions.length - 2] : 0);
      }
      return seen;
    });
    for (let step = 1; step < walk.length; step++) assert.ok(walk[step] > walk[step - 1], `the window moves forward: ${walk.join(', ')}`);
    assert.equal(walk.at(-1), 1999);
  });

  it('keeps the reading position while turns above it are rendered and measured', async () => {
    await openLong(chat());
    const page = chat().page;
    await scrollLogTo(page, 'middle');
    for (let step = 0; step < 6; step++) {
      const probe = await page.getByRole('log').evaluate((element) => {
        const log = element as unknown as Box;
        const top = log.getBoundingClientRect().top;
        const visible = Array.from(log.querySelectorAll('article')).find((article) => article.getBoundingClientRect().bottom > top + 40)!;
        return { position: visible.getAttribute('aria-posinset'), offset: visible.getBoundingClientRect().top - top };
      });
      // Scroll up within the rendered overscan: turns never rendered (estimated heights) come in above.
      await page.getByRole('log').evaluate((log) => { log.scrollTop -= 400; });
      await settle(page);
      const after = await page.getByRole('log').evaluate((element, position) => {
        const log = element as unknown as Box;
        const article = log.querySelector(`article[aria-posinset="${position}"]`);
        return article ? article.getBoundingClientRect().top - log.getBoundingClientRect().top : null;
      }, probe.position);
      assert.notEqual(after, null, 'the turn that was read is still rendered');
      assert.ok(Math.abs((after as number) - (probe.offset + 400)) <= 2, `step ${step}: turn ${probe.position} moved by exactly the scroll (${probe.offset} -> ${after})`);
    }
  });

  it('stays pinned to the bottom while an answer streams at the end of a long conversation', async () => {
    await openLong(chat());
    const page = chat().page;
    await chat().send({ type: 'state', busy: true });
    await chat().send({ type: 'messageAdded', message: userMessage('one more question') });
    const streaming: StoredMessage = { id: 'live', role: 'assistant', content: [], createdAt: 2, model: 'claude-sonnet-4-6', status: 'streaming' };
    await chat().send({ type: 'messageAdded', message: streaming });
    await chat().send({ type: 'delta', messageId: 'live', ops: [{ op: 'start', index: 0, block: { type: 'text', text: '' } }] });
    for (let n = 0; n < 30; n++) {
      await chat().send({ type: 'delta', messageId: 'live', ops: [{ op: 'append', index: 0, text: `Line ${n} of the streamed answer, long enough to wrap in the sidebar.\n\n` }] });
      await chat().nextFrame();
      const gap = await page.getByRole('log').evaluate((el) => el.scrollHeight - el.clientHeight - el.scrollTop);
      assert.ok(gap <= 2, `bottom pinned after delta ${n} (gap ${gap})`);
    }
    assert.equal(await page.getByRole('article').last().getAttribute('aria-posinset'), '2002');
    assert.equal(await page.getByRole('button', { name: 'Jump to latest' }).isVisible(), false);
  });

  it('keeps the focused turn rendered when it scrolls away, and an update to a turn outside the window', async () => {
    await openLong(chat());
    const page = chat().page;
    await scrollLogTo(page, 'middle');
    const copy = page.getByRole('button', { name: 'Copy' }).first();
    await copy.focus();
    const position = await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { closest(s: string): { querySelector(s: string): { getAttribute(n: string): string } } } } }).document.activeElement.closest('.turn-slot').querySelector('article').getAttribute('aria-posinset'));
    await scrollLogTo(page, 0);
    await scrollLogTo(page, 1e9);
    assert.equal(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null } } }).document.activeElement.getAttribute('data-action')), 'copy', 'focus is where it was');
    assert.equal(await page.locator(`article[aria-posinset="${position}"]`).count(), 1);
    // The first answer is far outside the window; its footer changes and shows when it comes back.
    const first = longConversation(2000)[1];
    await chat().send(initMessage([userMessage('q0'), { ...first, id: 'old', usage: undefined }, ...longConversation(2000).slice(2)]));
    await chat().untilTurns(2000);
    await chat().send({ type: 'messageUpdated', messageId: 'old', usage: { input_tokens: 4321, output_tokens: 5 } });
    assert.deepEqual((await chat().postedOfType('log')).filter((m) => /unknown/.test(m.message)), []);
    await scrollLogTo(page, 0);
    assert.match(await page.getByRole('article').nth(1).locator('.turn-footer').innerText(), /4,321 in/);
  });

  it('passes axe in the middle of a 2,000-message conversation', async () => {
    const page = chat().page;
    await applyTheme(page, themes.find((theme) => theme.kind === 'dark')!);
    await openLong(chat());
    await scrollLogTo(page, 'middle');
    const summary = await runAxe(page);
    assert.deepEqual(summary.blocking, []);
  });
});
