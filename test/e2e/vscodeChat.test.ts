// VS Code's own Chat view with this extension, in the real workbench (code-server), no Copilot
// sign-in: the AIML models are in the model picker, and `@aiml` answers from the stand-in.
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startWorkbench, type Workbench } from './support/workbench';
import { runCommand, setApiKeyThroughUi } from './support/chat';

const chatPanel = (page: Page) => page.locator('.interactive-session').first();

/** The chat input's toolbar entry whose text matches (the mode and model pickers). */
const toolbarItem = (page: Page, text: RegExp) => chatPanel(page).locator('.interactive-input-part .action-label, .interactive-input-part .action-item a', { hasText: text }).first();

async function pickerLabels(page: Page): Promise<string[]> {
  const rows = page.locator('.action-widget .monaco-list-row, .quick-input-widget .monaco-list-row');
  await rows.first().waitFor({ timeout: 15_000 });
  await page.waitForTimeout(300);
  return rows.evaluateAll((els) => els.map((e) => (e.getAttribute('aria-label') ?? e.textContent ?? '').trim()));
}

describe('e2e: VS Code Chat with the AIML models and @aiml', function () {
  this.timeout(120_000);
  let wb: Workbench;

  before(async function () {
    this.timeout(240_000);
    // The harness turns VS Code's AI features off for the other suites; this one needs them.
    wb = await startWorkbench({ userSettings: { 'chat.disableAIFeatures': false } });
    await setApiKeyThroughUi(wb.page, 'test-key');
    await runCommand(wb.page, 'Chat: Open Chat');
    await chatPanel(wb.page).waitFor({ timeout: 30_000 });
  });
  after(async () => wb?.close());
  afterEach(async function () {
    await wb?.screenshotOnFailure(this);
  });

  it('lists the AIML models in the Chat view\'s model picker', async () => {
    const page = wb.page;
    const picker = toolbarItem(page, /Claude/);
    await picker.waitFor({ timeout: 30_000 });
    await picker.click();
    const labels = await pickerLabels(page);
    await page.keyboard.press('Escape');
    for (const name of ['Claude Sonnet 4.6', 'Claude Opus 4.7', 'Claude Haiku 4.5']) {
      assert.ok(labels.some((l) => l.includes(name)), `${name} in the picker (${labels.join(' | ')})`);
    }
  });

  it('answers @aiml from the stand-in, streamed into the Chat view', async () => {
    const page = wb.page;
    const before = wb.standIn.requests.length;
    const input = chatPanel(page).locator('.interactive-input-part .monaco-editor').first();
    await input.click();
    await page.keyboard.type('@aiml ');
    await page.waitForTimeout(500);
    await page.keyboard.press('Escape'); // close the suggestion list if it is open
    await page.keyboard.type('Participant hello from the Chat view');
    await page.keyboard.press('Enter');

    const response = chatPanel(page).locator('.interactive-response').last();
    await response.filter({ hasText: 'Participant hello from the Chat view' }).waitFor({ timeout: 60_000 });
    const requests = wb.standIn.requests.slice(before).filter((r) => r.path.endsWith('/messages'));
    assert.ok(requests.length >= 1, 'the stand-in was asked');
    const body = requests.at(-1)!.body as { model: string; system?: { text: string }[]; messages: { content: unknown }[] };
    assert.match(body.model, /^claude-/);
    assert.match(JSON.stringify(body.system), /AIML Chat/, 'the participant sends the extension\'s own system prompt');
    assert.match(JSON.stringify(body.messages.at(-1)), /Participant hello from the Chat view/);
  });
});
