// run_command in the real workbench (code-server, Chromium): the card shows the command and its
// working folder with Run / Deny; Run executes it and its output reaches the next request to the
// stand-in; a compound command asks even when its first word is on the allowlist, and Deny runs
// nothing.
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { useWorkbench, type Workbench } from './support/workbench';
import { assistantTurns, getChatFrame, sendPrompt, setApiKeyThroughUi, waitIdle } from './support/chat';

interface Block { type: string; tool_use_id?: string; content?: unknown; is_error?: boolean }
interface Body { messages?: Array<{ role: string; content: unknown }> }

describe('e2e: run_command', function () {
  this.timeout(150_000);
  let wb: Workbench;

  // `echo` may run without asking: a compound command starting with it must still ask.
  useWorkbench({ userSettings: { 'aimlChat.tools.commandAllowlist': ['echo'] } }, async (started) => {
    wb = started;
    await setApiKeyThroughUi(wb.page, 'test-key');
  });

  /** The tool results of the latest request to the stand-in, as text. */
  const lastToolResults = (): Block[] => {
    const bodies = wb.standIn.requests.filter((r) => r.path.endsWith('/messages')).map((r) => r.body as Body);
    const last = bodies.at(-1)?.messages?.at(-1);
    return Array.isArray(last?.content) ? (last.content as Block[]).filter((b) => b.type === 'tool_result') : [];
  };
  const textOf = (block: Block | undefined) => JSON.stringify(block?.content ?? '');

  it('Run on a proposed command: its output reaches the next request', async () => {
    const frame = await getChatFrame(wb.page);
    await frame.getByRole('button', { name: 'New chat' }).click();
    // The output (42-ran) appears nowhere in the command text: only running it produces it.
    await sendPrompt(frame, `[[tool:run_command {"command":"node -e \\"console.log(6 * 7 + '-ran')\\""}]]`);
    const turn = assistantTurns(frame).last();
    const run = turn.getByRole('button', { name: 'Run', exact: true });
    await run.waitFor({ state: 'visible', timeout: 30_000 });
    const card = await turn.innerText();
    assert.match(card, /node -e "console\.log\(6 \* 7 \+ '-ran'\)"/, 'the card shows the exact command');
    assert.match(card, /in \./, 'the card shows the working folder');
    assert.ok(await turn.getByRole('button', { name: 'Deny', exact: true }).isVisible(), 'Deny is offered next to Run');
    await run.click();
    await waitIdle(frame, 60_000);
    const [result] = lastToolResults();
    assert.ok(result, 'a tool result went to the stand-in');
    assert.notEqual(result.is_error, true, textOf(result));
    assert.match(textOf(result), /42-ran/);
    assert.match(textOf(result), /exited with code 0/);
  });

  it('a compound command asks although its first word is allowed, and Deny runs nothing', async () => {
    const frame = await getChatFrame(wb.page);
    await frame.getByRole('button', { name: 'New chat' }).click();
    const marker = path.join(wb.profile.workspace, 'compound-ran.txt');
    await sendPrompt(frame, `[[tool:run_command {"command":"echo hi && node -e \\"require('fs').writeFileSync('compound-ran.txt', 'x')\\""}]]`);
    const turn = assistantTurns(frame).last();
    const deny = turn.getByRole('button', { name: 'Deny', exact: true });
    await deny.waitFor({ state: 'visible', timeout: 30_000 });
    await deny.click();
    await waitIdle(frame, 60_000);
    const [result] = lastToolResults();
    assert.ok(result, 'the model is told');
    assert.equal(result.is_error, true);
    assert.match(textOf(result), /denied|declined/i);
    assert.equal(existsSync(marker), false, 'nothing ran');
  });
});
