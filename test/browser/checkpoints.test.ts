// `Restore checkpoint` buttons in the chat view (webview/checkpoints.ts): on the prompts the host
// names, whether those turns were shown before the host named them or are rendered after.
import assert from 'node:assert/strict';
import { assistantMessage, initMessage, useChatPage, userMessage } from './support/chatPage';

describe('checkpoint buttons (Chromium)', function () {
  const chat = useChatPage();

  it('go on the prompts the host names, shown before or rendered after, and post restoreCheckpoint', async () => {
    const first = userMessage('Rename the helper');
    const second = userMessage('Now add a test');
    await chat().send(initMessage([first, assistantMessage('Renamed.'), second, assistantMessage('Added.')]));
    const page = chat().page;
    const prompts = page.getByRole('log').getByRole('article', { name: 'You' });
    await prompts.nth(1).waitFor();
    const buttonsIn = (n: number) => prompts.nth(n).getByRole('button', { name: 'Restore checkpoint' });

    // Turns already shown: the host names the first prompt only.
    await chat().send({ type: 'checkpoints', turnIds: [first.id] });
    await buttonsIn(0).waitFor();
    assert.equal(await buttonsIn(1).count(), 0);

    // A prompt the host names before its turn is rendered gets its button when it appears.
    const third = userMessage('And document it');
    await chat().send({ type: 'checkpoints', turnIds: [first.id, third.id] });
    await chat().send({ type: 'messageAdded', message: third });
    await buttonsIn(2).waitFor();
    assert.equal(await buttonsIn(1).count(), 0);

    // No longer named: the button goes.
    await chat().send({ type: 'checkpoints', turnIds: [third.id] });
    await buttonsIn(0).waitFor({ state: 'detached' });

    await buttonsIn(2).click();
    assert.deepEqual(await chat().postedOfType('restoreCheckpoint'), [{ type: 'restoreCheckpoint', turnId: third.id }]);
  });
});
