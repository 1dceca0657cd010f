// `Restore checkpoint` in the real workbench: the model proposes an edit, the user applies it on
// the tool card, then restores the turn's checkpoint from the button on the prompt (confirming
// the workbench's modal questions) and the file on disk is byte for byte what it was.
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { useWorkbench, type Workbench } from './support/workbench';
import { getChatFrame, sendPrompt, setApiKeyThroughUi, waitIdle } from './support/chat';

async function until(page: Page, what: string, probe: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await page.waitForTimeout(100);
  }
}

describe('e2e: checkpoints', function () {
  this.timeout(120_000);
  let wb: Workbench;

  useWorkbench({}, async (started) => {
    wb = started;
    await setApiKeyThroughUi(wb.page, 'test-key');
  });

  it('"Restore checkpoint" after an applied edit brings the file back byte for byte', async () => {
    const { page } = wb;
    const file = path.join(wb.profile.workspace, 'src', 'checkpoint-e2e.txt');
    // CRLF line endings and no final line break: an editor round trip would be visible.
    const original = Buffer.from('alpha = 1\r\nbeta = 2\r\ngamma = 3', 'utf8');
    writeFileSync(file, original);
    const frame = await getChatFrame(page);
    await frame.getByRole('button', { name: 'New chat' }).click();
    await sendPrompt(frame, `[[tool:propose_edit {"path":"src/checkpoint-e2e.txt","action":"replace","old_text":"beta = 2","new_text":"beta = 20"}]]`);
    await frame.getByRole('button', { name: 'Apply' }).click({ timeout: 30_000 });
    await until(page, 'the edit on disk', () => readFileSync(file, 'utf8').includes('beta = 20'));
    await waitIdle(frame);

    const you = frame.getByRole('log').getByRole('article', { name: 'You' }).last();
    await you.getByRole('button', { name: 'Restore checkpoint' }).click({ timeout: 15_000 });
    const dialog = page.getByRole('dialog');
    await dialog.filter({ hasText: 'checkpoint-e2e.txt' }).waitFor({ timeout: 15_000 });
    await dialog.getByRole('button', { name: 'Restore' }).click();
    await page.getByRole('button', { name: 'Keep later turns' }).click({ timeout: 15_000 });
    await until(page, 'the file restored', () => Buffer.compare(readFileSync(file), original) === 0);
    assert.deepEqual(readFileSync(file), original);
  });
});
