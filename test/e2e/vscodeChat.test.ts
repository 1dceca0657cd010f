// VS Code's own Chat view with this extension, in the real workbench (code-server), no Copilot
// sign-in: the AIML models are in the Chat view's model picker, and `@aiml` answers from the
// stand-in. Controls are found by ARIA role and accessible name, as a screen reader finds them.
import * as assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { useWorkbench, type Workbench } from './support/workbench';
import { runCommand, setApiKeyThroughUi } from './support/chat';

const chatInput = (page: Page) => page.getByRole('textbox', { name: /^Chat Input/ });
const modelPicker = (page: Page) => page.getByRole('button', { name: /^Models?,/ });
const pickerList = (page: Page) => page.getByRole('listbox', { name: 'Action Widget' });

/** Polls until `probe` returns a value, or fails saying what it waited for. */
async function until<T>(probe: () => Promise<T | undefined>, what: string, limitMs = 30_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() - started > limitMs) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The names of the model picker's options; expands its "Other Models" group once. */
async function pickerModels(page: Page, wanted: readonly string[]): Promise<string[]> {
  await modelPicker(page).click();
  const list = pickerList(page);
  await list.waitFor({ timeout: 15_000 });
  let expanded = false;
  return until(async () => {
    const names = await list.getByRole('option').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? e.textContent ?? ''));
    if (wanted.every((name) => names.some((n) => n.includes(name)))) return names;
    const others = list.getByRole('option', { name: /^Other Models/ });
    if (!expanded && (await others.count()) > 0) {
      await others.click();
      expanded = true;
    }
    return undefined;
  }, `the models ${wanted.join(', ')} in the picker`);
}

describe('e2e: VS Code Chat with the AIML models and @aiml', function () {
  this.timeout(120_000);
  let wb: Workbench;

  // The harness turns VS Code's AI features off for the other suites; this one needs them.
  useWorkbench({ userSettings: { 'chat.disableAIFeatures': false }, startTimeoutMs: 240_000 }, async (started) => {
    wb = started;
    await setApiKeyThroughUi(wb.page, 'test-key');
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && wb) {
      // The accessibility tree says what the workbench showed, for choosing the next selector.
      const dir = path.resolve(__dirname, '..', '..', 'test-results');
      mkdirSync(dir, { recursive: true });
      const tree = await wb.page.locator('body').ariaSnapshot({ timeout: 10_000 }).catch((e: Error) => e.message);
      writeFileSync(path.join(dir, `e2e-vscodeChat-${this.currentTest.title.replace(/\W+/g, '-').slice(0, 60)}.aria.txt`), tree);
    }
  });

  it('opens the Chat view from the command palette; its model picker lists the AIML models', async () => {
    const page = wb.page;
    // The workbench may show the Chat view at start: hide it, so the command is what opens it.
    const hide = page.getByRole('button', { name: /^Hide Secondary Side Bar/ });
    if (await hide.isVisible()) await hide.click();
    await chatInput(page).waitFor({ state: 'hidden', timeout: 15_000 });
    await runCommand(page, 'Chat: Open Chat');
    await chatInput(page).waitFor({ state: 'visible', timeout: 30_000 });

    const names = await pickerModels(page, ['Claude Sonnet 4.6', 'Claude Opus 4.7', 'Claude Haiku 4.5']);
    await page.keyboard.press('Escape');
    assert.ok(names.filter((n) => n.includes('AIML API')).length >= 3, `the models name their provider: ${names.join(' | ')}`);
  });

  it('answers @aiml from the stand-in, streamed into the Chat view', async () => {
    const page = wb.page;
    const before = wb.standIn.requests.length;
    // The input's placeholder lies over the editor and takes clicks: focus it as the keyboard would.
    await chatInput(page).focus();
    // One insertion, not a key per character: on a loaded machine the participant suggestion that
    // opens after "@aiml" swallowed the space, the prompt went to Copilot's agent and waited for
    // its sign-in (CI saw "@aimlParticipant hello…").
    await page.keyboard.insertText('@aiml Participant hello from the Chat view');
    await page.getByRole('button', { name: /^Send/ }).first().click();

    // The stand-in's default answer quotes the prompt; the Chat view shows it as it streams.
    await page.getByText(/here is a short answer from the AIML stand-in/).first().waitFor({ timeout: 60_000 });
    const requests = wb.standIn.requests.slice(before).filter((r) => r.path.endsWith('/messages'));
    assert.equal(requests.length, 1, `one request to the stand-in (${requests.map((r) => r.path).join(', ')})`);
    const body = requests[0].body as { model: string; stream: boolean; system?: unknown; messages: { role: string; content: unknown }[] };
    assert.match(body.model, /^claude-/);
    assert.equal(body.stream, true);
    assert.match(JSON.stringify(body.system), /You are AIML Chat/, 'the participant sends the extension\'s own system prompt');
    assert.match(JSON.stringify(body.messages.at(-1)?.content), /Participant hello from the Chat view/);
    assert.doesNotMatch(JSON.stringify(body.messages.at(-1)?.content), /@aiml/, 'VS Code strips the participant name');
    assert.equal(await page.getByText(/Language model unavailable/).count(), 0);
  });
});
