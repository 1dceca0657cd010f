// Plan mode in the real workbench (code-server, Chromium): choose Plan in the `Mode` control, send,
// `Act on this plan` appears on the finished plan; pressing it switches back to Agent and the next
// request carries the write tools again.
import * as assert from 'node:assert/strict';
import { useWorkbench, type Workbench } from './support/workbench';
import { assistantTurns, getChatFrame, sendPrompt, setApiKeyThroughUi, waitIdle } from './support/chat';

interface Body { system?: unknown; tools?: Array<{ name: string }> }

describe('e2e: Plan mode', function () {
  this.timeout(120_000);
  let wb: Workbench;

  useWorkbench({}, async (started) => {
    wb = started;
    await setApiKeyThroughUi(wb.page, 'test-key');
  });

  const messageBodies = () => wb.standIn.requests.filter((r) => r.path.endsWith('/messages')).map((r) => r.body as Body);
  const toolNames = (body: Body | undefined) => (body?.tools ?? []).map((t) => t.name);

  it('Plan, send, Act on this plan: the plan request is read-only, the act request has the write tools', async () => {
    const frame = await getChatFrame(wb.page);
    const mode = frame.getByRole('combobox', { name: 'Mode', exact: true });
    await mode.selectOption({ label: 'Plan' });
    wb.standIn.enqueue({ kind: 'text', text: '1. Add greet to src/app.ts.\n2. Run the tests.' });
    wb.standIn.enqueue({ kind: 'text', text: 'Carrying it out.' });
    const before = messageBodies().length;
    await sendPrompt(frame, 'How would you add a greet function?');
    const act = assistantTurns(frame).last().getByRole('button', { name: 'Act on this plan' });
    await act.waitFor({ state: 'visible', timeout: 30_000 });
    await waitIdle(frame);
    const plan = messageBodies()[before];
    assert.ok(toolNames(plan).includes('read_file'), `read-only tools offered: ${toolNames(plan).join(', ')}`);
    assert.ok(!toolNames(plan).includes('propose_edit') && !toolNames(plan).includes('run_command'), 'no write tools in Plan mode');
    assert.match(JSON.stringify(plan.system), /Plan mode is on/);

    await act.click();
    await frame.getByRole('article', { name: 'You' }).filter({ hasText: 'Act on this plan.' }).waitFor({ timeout: 30_000 });
    await assistantTurns(frame).last().filter({ hasText: 'Carrying it out.' }).waitFor({ timeout: 30_000 });
    await waitIdle(frame);
    assert.equal(await mode.inputValue(), 'agent', 'the control switched back to Agent');
    const acted = messageBodies()[before + 1];
    assert.ok(toolNames(acted).includes('propose_edit'), `write tools offered again: ${toolNames(acted).join(', ')}`);
    assert.ok(toolNames(acted).includes('run_command'));
    assert.doesNotMatch(JSON.stringify(acted.system), /Plan mode is on/);
  });
});
