// The chat view keeps its webview while hidden (RETAIN_CONTEXT_WHEN_HIDDEN in
// src/host/chatViewProvider.ts): showing it again is the same frame, no reload, and what the host
// posted while it was hidden (an answer streaming on) is in it. `node scripts/run-e2e.mjs --grep "hidden chat view"`.
import * as assert from 'node:assert/strict';
import type { Frame, Page } from 'playwright-core';
import { useWorkbench, type Workbench } from './support/workbench';
import { assistantTurns, frameShown, getChatFrame, runCommand, sendPrompt, setApiKeyThroughUi, waitForAssistantText, waitIdle } from './support/chat';

/** The frame's own start time: a reloaded webview is a new document with a new one. */
const documentOrigin = (frame: Frame): Promise<number> => frame.evaluate(() => performance.timeOrigin);

async function hideView(page: Page, frame: Frame): Promise<void> {
  await runCommand(page, 'View: Close Primary Side Bar');
  for (let polls = 0; await frameShown(frame); polls++) {
    if (polls > 300) throw new Error('the chat view did not close');
    await page.waitForTimeout(50);
  }
  assert.equal(frame.isDetached(), false, 'the hidden view keeps its webview');
}

/** Shows the view again and returns its frame once it is on screen. */
async function showView(page: Page): Promise<Frame> {
  const frame = await getChatFrame(page);
  for (let polls = 0; !(await frameShown(frame)); polls++) {
    if (polls > 300) throw new Error('the chat view did not show');
    await page.waitForTimeout(50);
  }
  return frame;
}

describe('e2e: hidden chat view (retained webview)', function () {
  this.timeout(120_000);
  let wb: Workbench;

  // A delay between writes keeps the answer streaming while the view is hidden.
  useWorkbench({ standIn: { tokenDelayMs: 25 } }, async (started) => {
    wb = started;
    await setApiKeyThroughUi(wb.page, 'test-key');
  });

  it('shows the same webview again, with what streamed while it was hidden', async () => {
    const frame = await getChatFrame(wb.page);
    const origin = await documentOrigin(frame);
    await sendPrompt(frame, 'Give me the long list [[scenario:long]]');
    await frame.getByRole('button', { name: 'Stop' }).waitFor({ state: 'visible', timeout: 20_000 });
    const turn = assistantTurns(frame).last();
    await turn.filter({ hasText: /Line 0005/ }).waitFor({ timeout: 30_000 });

    await hideView(wb.page, frame);
    // The answer ends while the view is hidden: the webview gets the host's messages then (its
    // Stop button goes with the last state message), it only paints once shown again.
    await waitIdle(frame, 100_000);
    const again = await showView(wb.page);
    assert.equal(again, frame, 'the same frame is shown again');
    assert.equal(await documentOrigin(again), origin, 'the webview was not reloaded');
    // Every line the answer got (it ends at the stand-in's max_tokens), in order, none lost or doubled.
    const text = await waitForAssistantText(again, /[\d,]+ out/);
    const lines = [...text.matchAll(/Line (\d{4}):/g)].map((match) => Number(match[1]));
    assert.ok(lines.length > 100, `the answer went on while hidden (${lines.length} lines)`);
    assert.deepEqual(lines, lines.map((_, index) => index + 1), 'lines 1..n, none lost or doubled');
    assert.equal(await assistantTurns(again).count(), 1);

    // Hidden while idle, then a new chat from the palette: the hidden view takes it too.
    await hideView(wb.page, again);
    await runCommand(wb.page, 'AIML Chat: New Chat');
    const shown = await showView(wb.page);
    assert.equal(await documentOrigin(shown), origin, 'still the first document');
    await assistantTurns(shown).first().waitFor({ state: 'detached', timeout: 15_000 });
    await shown.getByRole('textbox', { name: 'Message' }).waitFor({ state: 'visible' });
  });
});
