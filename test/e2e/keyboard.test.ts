// Keyboard only (after one click into the Message box), in the real workbench: send with Enter, stop with the Stop button reached by Tab,
// copy a code block and approve a tool call reached by Shift+Tab, and where focus lands after each.
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Frame } from 'playwright-core';
import { useWorkbench, type Workbench } from './support/workbench';
import { assistantTurns, getChatFrame, runCommand, setApiKeyThroughUi, waitForAssistantText, waitIdle } from './support/chat';

/** The focused element inside the webview: its accessible name (aria-label or text). */
function focused(frame: Frame): Promise<string> {
  return frame.evaluate(() => {
    const element = (globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null; textContent: string | null } | null } }).document.activeElement;
    return (element?.getAttribute('aria-label') ?? element?.textContent ?? '').trim();
  });
}

/** Presses `key` until the focused control is named `name`. */
async function pressUntil(wb: Workbench, frame: Frame, key: string, name: string, limit = 30): Promise<void> {
  const seen: string[] = [];
  for (let i = 0; i < limit; i += 1) {
    await wb.page.keyboard.press(key);
    const now = await focused(frame);
    if (now === name) return;
    seen.push(now);
  }
  throw new Error(`${key} never reached "${name}": ${seen.join(' | ')}`);
}

async function typePrompt(wb: Workbench, frame: Frame, text: string): Promise<void> {
  // The one pointer action: putting the caret in the Message box (as landing in the view would).
  await frame.getByRole('textbox', { name: 'Message' }).click();
  await wb.page.keyboard.type(text);
  await wb.page.keyboard.press('Enter');
  assert.equal(await focused(frame), 'Message', 'focus stays in Message after Enter');
}

describe('e2e: keyboard only', function () {
  this.timeout(90_000);
  let wb: Workbench;

  useWorkbench({ standIn: { tokenDelayMs: 20 } }, async (started) => {
    wb = started;
    await setApiKeyThroughUi(wb.page, 'test-key');
  });

  it('sends with Enter, stops with Tab to Stop and Enter, and focus returns to Message', async () => {
    const frame = await getChatFrame(wb.page);
    await typePrompt(wb, frame, 'Give me the long list [[scenario:long]]');
    await frame.getByRole('button', { name: 'Stop' }).waitFor({ state: 'visible', timeout: 20_000 });
    await pressUntil(wb, frame, 'Tab', 'Stop');
    await wb.page.keyboard.press('Enter');
    await waitIdle(frame);
    assert.equal(await focused(frame), 'Message', 'back in Message after Stop');
    assert.ok(!/\b2000\b/.test((await assistantTurns(frame).last().textContent()) ?? ''), 'stopped before the end');
  });

  it('copies a code block reached with Shift+Tab and confirms "Copied"', async () => {
    const frame = await getChatFrame(wb.page);
    // A fresh conversation: nothing of the previous test may still be streaming into this one. No
    // palette command follows it: New Chat ends by focusing Message, which took the keys of a
    // palette opened meanwhile (CI sent "AIML Chat: Focus on Chat View" as a prompt).
    await runCommand(wb.page, 'AIML Chat: New Chat');
    await assistantTurns(frame).first().waitFor({ state: 'detached', timeout: 15_000 });
    await waitIdle(frame);
    await typePrompt(wb, frame, 'Show me some code [[scenario:markdown]]');
    await waitForAssistantText(frame, 'Rich markdown from the stand-in');
    await waitIdle(frame);
    assert.equal(await focused(frame), 'Message', 'still in Message after the answer');
    await pressUntil(wb, frame, 'Shift+Tab', 'Copy');
    await wb.page.keyboard.press('Enter');
    await frame.getByText('Copied', { exact: true }).first().waitFor({ timeout: 5_000 });
    assert.equal(await frame.locator('[data-announcer="polite"]').textContent(), 'Copied to clipboard');
  });

  it('approves a tool call reached with Shift+Tab; focus returns to Message', async () => {
    // A secret-looking file that exists: reading it always asks (a missing file is refused first).
    writeFileSync(path.join(wb.profile.workspace, '.env.local'), 'API_TOKEN=not-a-real-token\n');
    const frame = await getChatFrame(wb.page);
    await typePrompt(wb, frame, 'Please read the file .env.local');
    const allow = frame.getByRole('button', { name: 'Allow' });
    await allow.waitFor({ timeout: 30_000 });
    assert.match((await frame.locator('[data-announcer="assertive"]').textContent()) ?? '', /^Approval needed: read_file/);
    await pressUntil(wb, frame, 'Shift+Tab', 'Allow');
    await wb.page.keyboard.press('Enter');
    assert.equal(await focused(frame), 'Message', 'no other approval waits: back to Message');
    await waitIdle(frame, 30_000);
    await allow.waitFor({ state: 'detached', timeout: 10_000 });
  });
});
