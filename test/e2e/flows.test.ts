// Everyday flows in the real workbench, one workbench for all of them: a code block goes into the
// editor with "Insert at cursor"; the Model picker's choice reaches the gateway and is remembered;
// an earlier conversation comes back through "Show History"; turning extended thinking on in the
// user settings shows the model's thinking above the answer.
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { useWorkbench, type Workbench } from './support/workbench';
import { assistantTurns, getChatFrame, runCommand, sendPrompt, setApiKeyThroughUi, waitForAssistantText, waitIdle } from './support/chat';

const KEY = 'test-key'; // the stand-in's accepted key

interface RecordedBody { model?: string; thinking?: { type?: string; budget_tokens?: number }; messages?: unknown[] }

/** The bodies of the /messages requests the stand-in received, oldest first. */
function messageRequests(wb: Workbench): RecordedBody[] {
  return wb.standIn.requests.filter((r) => r.path.endsWith('/messages')).map((r) => r.body as RecordedBody);
}

// code-server runs the extension host "remotely": settings of machine scope (all aimlChat.* that
// shape requests, model and thinking included) live in the remote settings file
// <userDataDir>/Machine/settings.json; in the browser's User/settings.json VS Code ignores them.
function machineSettingsFile(wb: Workbench): string {
  return path.join(wb.profile.userDataDir, 'Machine', 'settings.json');
}

function readSettingsFile(file: string): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/** The aimlChat.model saved in the user or remote settings file, if any. */
function savedModel(wb: Workbench): unknown {
  for (const scope of ['Machine', 'User']) {
    const value = readSettingsFile(path.join(wb.profile.userDataDir, scope, 'settings.json'))['aimlChat.model'];
    if (value !== undefined) return value;
  }
  return undefined;
}

/** Polls a condition (for things outside the page, like files on disk). */
async function until<T>(page: Page, what: string, probe: () => T | undefined | false, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await page.waitForTimeout(100);
  }
}

/** "Go to File…", type the name, open the match; resolves once its editor shows the text. */
async function openWorkspaceFile(page: Page, relativePath: string, expectText: string): Promise<void> {
  await runCommand(page, 'Go to File');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await page.keyboard.type(path.basename(relativePath));
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: path.basename(relativePath) }).first().waitFor({ timeout: 15_000 });
  await page.keyboard.press('Enter');
  await page.locator('.editor-group-container .monaco-editor .view-lines', { hasText: expectText }).first().waitFor({ timeout: 15_000 });
}

/** The visible text of the active editor, from Monaco's rendered lines. */
async function editorText(page: Page): Promise<string> {
  const lines = page.locator('.editor-group-container .monaco-editor .view-lines').first();
  return ((await lines.innerText()) ?? '').replace(/\u00a0/g, ' ');
}

function modelSelect(frame: Frame) {
  return frame.getByRole('combobox', { name: 'Model' });
}

/** Clicks "New chat" and waits for the transcript to empty. */
async function newChat(frame: Frame): Promise<void> {
  await frame.getByRole('button', { name: 'New chat' }).click();
  await frame.getByRole('log').getByRole('article').first().waitFor({ state: 'detached', timeout: 15_000 });
}

describe('e2e: everyday flows', function () {
  this.timeout(90_000);
  let wb: Workbench;

  useWorkbench({}, async (started) => {
    wb = started;
    await setApiKeyThroughUi(wb.page, KEY);
  });

  it('"Insert at cursor" replaces the editor selection with the code block, re-indented', async () => {
    const { page } = wb;
    const file = path.join(wb.profile.workspace, 'src', 'greet.ts');
    const original = readFileSync(file, 'utf8');
    const replacedLine = 'return `Hello, ${name}!`;';
    assert.ok(original.includes(replacedLine), 'fixture: greet.ts has the line to replace');

    // The chat view first: opening it through the palette clicks into the workbench, which
    // would move the editor's cursor.
    const frame = await getChatFrame(page);
    await openWorkspaceFile(page, 'src/greet.ts', 'export function greet');

    // Select line 3's code (`return …;`, without its indentation).
    await runCommand(page, 'Go to Line/Column');
    await page.keyboard.type('3');
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget input').waitFor({ state: 'hidden' });
    await page.keyboard.press('End');
    await page.keyboard.press('Shift+Home');
    await page.locator('.statusbar', { hasText: `(${replacedLine.length} selected)` }).waitFor({ timeout: 10_000 });

    await sendPrompt(frame, 'Show me some code [[scenario:markdown]]');
    await waitForAssistantText(frame, 'Rich markdown from the stand-in');
    await waitIdle(frame);
    const turn = assistantTurns(frame).last();
    const insert = turn.getByRole('button', { name: 'Insert at cursor' });
    assert.equal(await insert.count(), 4, 'a button on each of the four code blocks');
    const firstCode = 'interface Point { x: number; y: number }';
    await insert.first().click();

    // The editor shows the inserted code; save it and check the file on disk.
    const deadline = Date.now() + 15_000;
    let shown = await editorText(page);
    while (!shown.includes(firstCode) && Date.now() < deadline) {
      await page.waitForTimeout(100);
      shown = await editorText(page);
    }
    assert.ok(shown.includes(firstCode), `the editor shows the first code block (editor: ${shown})`);

    await page.locator('.editor-group-container .monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+S');
    const saved = await until(page, 'greet.ts saved with the code', () => {
      const text = readFileSync(file, 'utf8');
      return text.includes(firstCode) ? text : undefined;
    });
    const lines = saved.split(/\r?\n/);
    assert.ok(!saved.includes(replacedLine), 'the selected line is gone');
    assert.equal(lines[2], `  ${firstCode}`, 'the code took the selection\'s place on line 3, after its indentation');
    assert.match(lines[3], /^ {2}export const distance = \(a: Point, b: Point\): number =>/, 'the whole first block, its later lines re-indented to the cursor line\'s indentation');
    assert.ok(!saved.includes('def fib'), 'only the first block');
    // Everything outside the selection is untouched.
    assert.equal(lines[0], original.split(/\r?\n/)[0]);
    assert.equal(lines[1], 'export function greet(name: string): string {');
    assert.ok(saved.includes('export function sum(values: number[]): number {'));
  });

  it('the Model picker\'s choice is sent to the gateway and remembered', async () => {
    const frame = await getChatFrame(wb.page);
    const select = modelSelect(frame);
    const before = await select.inputValue();
    const options = await select.locator('option').evaluateAll((els) => els.map((e) => ({ value: (e as unknown as { value: string }).value, label: e.textContent ?? '' })));
    const haiku = options.find((o) => /haiku/i.test(o.label));
    assert.ok(haiku, `a Haiku option (got ${options.map((o) => o.label).join(', ')})`);
    assert.notEqual(haiku.value, before, 'Haiku is not already the model');
    await select.selectOption(haiku.value);
    // The choice lands in the settings (where a restart reads it from).
    await until(wb.page, 'the model in settings.json', () => savedModel(wb) === haiku.value);

    const sentBefore = messageRequests(wb).length;
    await sendPrompt(frame, 'Which model answers this?');
    await waitForAssistantText(frame, 'You asked about');
    await waitIdle(frame);
    const sent = messageRequests(wb).slice(sentBefore);
    assert.equal(sent.length, 1);
    assert.equal(sent[0].model, haiku.value, 'the request used the chosen model');

    await newChat(frame);
    assert.equal(await select.inputValue(), haiku.value, 'a new chat keeps the chosen model');
  });

  it('"Show History" lists an earlier conversation by its first line and reopens it', async () => {
    const { page } = wb;
    let frame = await getChatFrame(page);
    await newChat(frame).catch(() => undefined); // already empty after the previous test
    const title = 'History check 7319: how do closures work?';
    await sendPrompt(frame, `${title}\nSecond line that is not part of the title`);
    await waitForAssistantText(frame, 'You asked about');
    await waitIdle(frame);

    await newChat(frame);
    assert.equal(await frame.getByRole('log').getByRole('article').count(), 0, 'the new chat starts empty');

    await runCommand(page, 'AIML Chat: Show History');
    const rows = page.locator('.quick-input-widget .monaco-list-row');
    const row = rows.filter({ hasText: title });
    await row.first().waitFor({ timeout: 15_000 });
    const labels = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? e.textContent ?? ''));
    assert.equal(await row.count(), 1, `one entry titled "${title}" (rows: ${labels.join(' | ')})`);
    assert.ok(!labels.some((l) => l.includes('Second line')), 'the title is the first line only');
    await row.first().click();
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });

    frame = await getChatFrame(page);
    const you = frame.getByRole('log').getByRole('article', { name: 'You' });
    await you.filter({ hasText: title }).waitFor({ timeout: 15_000 });
    assert.equal(await you.count(), 1);
    assert.ok((await you.first().textContent())?.includes('Second line that is not part of the title'));
    assert.equal(await assistantTurns(frame).count(), 1);
    assert.ok((await assistantTurns(frame).first().textContent())?.includes('You asked about “History check 7319'), 'the answer is back too');
  });

  it('with extended thinking turned on in the settings, the thinking shows above the answer', async () => {
    const { page } = wb;
    const frame = await getChatFrame(page);
    const earlier = messageRequests(wb);
    assert.ok(earlier.length > 0 && earlier.every((b) => b.thinking === undefined), 'no thinking requested while the setting is off');

    // Edit the settings file as a user would (the remote one: see machineSettingsFile). The model
    // changes in the same write, so the Model picker following it shows that the extension has
    // read the new settings.
    const file = machineSettingsFile(wb);
    const settings = readSettingsFile(file);
    const model = 'claude-sonnet-4-6';
    assert.notEqual(savedModel(wb), model);
    writeFileSync(file, JSON.stringify({ ...settings, 'aimlChat.thinking.enabled': true, 'aimlChat.model': model }, null, 2));
    const select = modelSelect(frame);
    const deadline = Date.now() + 20_000;
    while ((await select.inputValue()) !== model && Date.now() < deadline) await page.waitForTimeout(100);
    assert.equal(await select.inputValue(), model, 'the extension picked up the edited settings');

    await newChat(frame).catch(() => undefined);
    const sentBefore = messageRequests(wb).length;
    await sendPrompt(frame, 'Please think it over [[scenario:think]]');
    await waitForAssistantText(frame, 'You asked about');
    await waitIdle(frame);
    const sent = messageRequests(wb).slice(sentBefore);
    assert.equal(sent.length, 1);
    assert.equal(sent[0].thinking?.type, 'enabled');
    assert.ok((sent[0].thinking?.budget_tokens ?? 0) >= 1024, 'a valid thinking budget');

    const turn = assistantTurns(frame).last();
    // The collapsed section's summary: "Thinking…" while it streams, "Thought for N s" after.
    const summary = turn.getByText(/^(Thinking…?|Thought for \d+ s)$/);
    await summary.waitFor({ timeout: 10_000 });
    const thought = turn.getByText(/Let me think step by step/);
    assert.equal(await thought.isVisible(), false, 'the thinking starts collapsed');
    await summary.click();
    await thought.waitFor({ state: 'visible', timeout: 5_000 });
    // The thinking comes before the answer's text.
    const text = (await turn.textContent()) ?? '';
    assert.ok(text.indexOf('Let me think step by step') < text.indexOf('You asked about'), 'thinking above the answer');
  });
});
