// Plan mode in the chat view (issue 13), in a real Chromium: the `Mode` control (keyboard operable,
// remembered across a reload, sent with each prompt) and `Act on this plan` on finished Plan-mode
// answers only (not while streaming, not after an error, not on Agent answers), which switches the
// control to Agent and sends the follow-up prompt in Agent mode.
import assert from 'node:assert/strict';
import { assistantMessage, initMessage, useChatPage, userMessage } from './support/chatPage';

describe('Plan mode (Chromium)', function () {
  const chat = useChatPage();

  it('the Mode control switches between Agent and Plan from the keyboard, is sent with the prompt and survives a reload', async () => {
    await chat().send(initMessage([]));
    const page = chat().page;
    const mode = page.getByRole('combobox', { name: 'Mode', exact: true });
    assert.equal(await mode.inputValue(), 'agent');
    assert.deepEqual(await mode.locator('option').allInnerTexts(), ['Agent', 'Plan']);
    await mode.focus();
    await page.keyboard.press('ArrowDown');
    assert.equal(await mode.inputValue(), 'plan');
    const box = page.getByRole('textbox', { name: 'Message' });
    await box.fill('how would you split app.ts?');
    await box.press('Enter');
    assert.deepEqual(await chat().postedOfType('send'), [{ type: 'send', text: 'how would you split app.ts?', attachments: [], mode: 'plan' }]);

    await page.reload();
    await chat().send(initMessage([]));
    assert.equal(await page.getByRole('combobox', { name: 'Mode', exact: true }).inputValue(), 'plan', 'the choice is remembered');
    await page.getByRole('combobox', { name: 'Mode', exact: true }).selectOption('agent');
    await chat().clearPosted();
    await page.getByRole('textbox', { name: 'Message' }).fill('do it');
    await page.getByRole('textbox', { name: 'Message' }).press('Enter');
    assert.deepEqual(await chat().postedOfType('send'), [{ type: 'send', text: 'do it', attachments: [] }], 'Agent is the default: no mode field');
  });

  it('Act on this plan appears on a finished plan answer only, and sends the follow-up in Agent mode', async () => {
    const messages = [
      userMessage('plan it', { mode: 'plan' }),
      assistantMessage('Reading.', { mode: 'plan', stopReason: 'tool_use', content: [{ type: 'text', text: 'Reading.' }, { type: 'tool_use', id: 't1', name: 'read_file', input: { path: 'a.ts' } }] }),
      userMessage('', { kind: 'tool_results', content: [{ type: 'tool_result', tool_use_id: 't1', content: 'x' }] }),
      assistantMessage('1. Split a.ts.\n2. Run the tests.', { mode: 'plan', stopReason: 'end_turn' }),
      userMessage('and an agent question'),
      assistantMessage('An agent answer.'),
      userMessage('a failed plan', { mode: 'plan' }),
      assistantMessage('', { mode: 'plan', status: 'error', error: { kind: 'overloaded', message: 'Overloaded' } }),
    ];
    await chat().send(initMessage(messages));
    const page = chat().page;
    const buttons = page.getByRole('button', { name: 'Act on this plan' });
    assert.equal(await buttons.count(), 1, 'one finished plan: not the agent answer, not the failed plan');
    const planTurn = page.getByRole('article', { name: 'Assistant' }).first();
    assert.equal(await planTurn.getByRole('button', { name: 'Act on this plan' }).count(), 1, 'the button sits on the plan answer');

    await page.getByRole('combobox', { name: 'Mode', exact: true }).selectOption('plan');
    await chat().clearPosted();
    await buttons.focus();
    await page.keyboard.press('Enter');
    assert.deepEqual(await chat().postedOfType('send'), [{ type: 'send', text: 'Act on this plan.', attachments: [] }], 'sent in Agent mode');
    assert.equal(await page.getByRole('combobox', { name: 'Mode', exact: true }).inputValue(), 'agent', 'the control switched to Agent');
    await page.reload();
    await chat().send(initMessage(messages));
    assert.equal(await page.getByRole('combobox', { name: 'Mode', exact: true }).inputValue(), 'agent', 'and stays there');
    assert.equal(await page.getByRole('button', { name: 'Act on this plan' }).count(), 1, 'the stored mode brings the button back after a reload');
  });

  it('a streaming plan answer gets the button when it finishes, not before', async () => {
    await chat().send(initMessage([userMessage('plan it', { mode: 'plan' })]));
    await chat().send({ type: 'messageAdded', message: assistantMessage('', { id: 'p1', mode: 'plan', status: 'streaming', content: [] }) });
    await chat().send({ type: 'delta', messageId: 'p1', ops: [{ op: 'start', index: 0, block: { type: 'text', text: '' } }, { op: 'append', index: 0, text: '1. Do it.' }] });
    await chat().nextFrame();
    const page = chat().page;
    assert.equal(await page.getByRole('button', { name: 'Act on this plan' }).count(), 0, 'hidden while streaming');
    await chat().send({ type: 'messageUpdated', messageId: 'p1', status: 'complete', stopReason: 'end_turn' });
    await page.getByRole('button', { name: 'Act on this plan' }).waitFor();
  });
});
