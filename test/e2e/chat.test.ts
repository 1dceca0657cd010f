// Chat flows a user sees: a long answer streams in visibly and Stop keeps what arrived; a fault
// shows an alert with Retry that recovers; reloading the window keeps the conversation.
import * as assert from 'node:assert/strict';
import { useWorkbench, type Workbench } from './support/workbench';
import { assistantTurns, getChatFrame, sendPrompt, setApiKeyThroughUi, waitForAssistantText, waitIdle } from './support/chat';

describe('e2e: chatting', function () {
  this.timeout(90_000);
  let wb: Workbench;

  // A delay between writes makes streaming observable and Stop reachable mid-answer.
  useWorkbench({ standIn: { tokenDelayMs: 25 } }, async (started) => {
    wb = started;
    await setApiKeyThroughUi(wb.page, 'test-key');
  });

  it('streams a long answer and Stop keeps the partial text', async () => {
    const frame = await getChatFrame(wb.page);
    await sendPrompt(frame, 'Give me the long list [[scenario:long]]');
    const stop = frame.getByRole('button', { name: 'Stop' });
    await stop.waitFor({ state: 'visible', timeout: 20_000 });
    // Wait until some lines have arrived, so the stop is really mid-stream.
    const turn = assistantTurns(frame).last();
    const deadline = Date.now() + 20_000;
    let before = '';
    while (Date.now() < deadline && (before = (await turn.textContent()) ?? '').length < 200) await wb.page.waitForTimeout(100);
    assert.ok(before.length >= 200, 'some text streamed in before Stop');
    await stop.click();
    await waitIdle(frame);
    const after = (await turn.textContent()) ?? '';
    assert.ok(after.length >= before.length - 10, 'the partial answer stays');
    assert.ok(!/\b2000\b/.test(after), 'the answer did not run to its end');
    await frame.getByRole('textbox', { name: 'Message' }).waitFor({ state: 'visible' });
  });

  it('shows an alert with Retry on a server error, and Retry recovers', async () => {
    const frame = await getChatFrame(wb.page);
    await sendPrompt(frame, 'hello again [[fault:midStreamError:once]]');
    const alert = frame.getByRole('alert');
    await alert.first().waitFor({ timeout: 30_000 });
    await alert.getByRole('button', { name: 'Retry' }).first().click();
    await waitForAssistantText(frame, /hello/i, 30_000);
    await waitIdle(frame);
  });

  it('keeps the conversation across a window reload', async () => {
    let frame = await getChatFrame(wb.page);
    const turnsBefore = await frame.getByRole('log').getByRole('article').count();
    assert.ok(turnsBefore >= 2);
    await wb.page.reload();
    await wb.page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 60_000 });
    frame = await getChatFrame(wb.page, 60_000);
    const you = frame.getByRole('log').getByRole('article', { name: 'You' });
    await you.first().waitFor({ timeout: 30_000 });
    assert.ok((await you.first().textContent())?.includes('long list'));
  });
});
