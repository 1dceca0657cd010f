// User-level helpers for the workbench and the chat view. They find controls by role and
// accessible name only (the contract in DESIGN.md §1), never by CSS classes of the webview.
import type { Frame, Page } from 'playwright-core';

/**
 * F1, type a command's title, pick it. Retries for a while: right after the workbench loads, the
 * extension host may still be starting and its commands are not in the palette yet.
 */
export async function runCommand(page: Page, title: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await openPalette(page);
    await page.keyboard.type(title);
    const item = page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first();
    try {
      await item.waitFor({ timeout: 5_000 });
      await page.keyboard.press('Enter');
      return;
    } catch (err) {
      await page.keyboard.press('Escape');
      if (Date.now() > deadline) throw err;
      await page.waitForTimeout(1000);
    }
  }
}

export async function openPalette(page: Page): Promise<void> {
  await page.locator('.monaco-workbench').click({ position: { x: 700, y: 400 } }).catch(() => undefined);
  await page.keyboard.press('F1');
  await page.locator('.quick-input-widget input').waitFor({ state: 'visible', timeout: 15_000 });
}

/**
 * The labels of the command palette's entries matching a filter. With `until`, retries while the
 * extension host is still starting (its commands join the palette only once it is up).
 */
export async function paletteEntries(page: Page, filter: string, until?: (labels: string[]) => boolean, timeoutMs = 60_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const labels = await paletteEntriesOnce(page, filter);
    if (!until || until(labels) || Date.now() > deadline) return labels;
    await page.waitForTimeout(1000);
  }
}

async function paletteEntriesOnce(page: Page, filter: string): Promise<string[]> {
  await openPalette(page);
  await page.keyboard.type(filter);
  const rows = page.locator('.quick-input-widget .monaco-list-row');
  await rows.first().waitFor({ timeout: 15_000 });
  await page.waitForTimeout(300); // the filter settles asynchronously
  const labels = await rows.evaluateAll((els) => els.map((e) => (e.getAttribute('aria-label') ?? e.textContent ?? '').trim()));
  await page.keyboard.press('Escape');
  return labels;
}

/** Runs "AIML Chat: Set API Key" and types the key into the password box. */
export async function setApiKeyThroughUi(page: Page, key: string): Promise<void> {
  await runCommand(page, 'AIML Chat: Set API Key');
  const box = page.locator('.quick-input-widget input[type="password"]');
  // The command may wait for the extension host to activate the extension (slow on a loaded machine).
  await box.waitFor({ state: 'visible', timeout: 60_000 });
  await box.fill(key);
  await page.keyboard.press('Enter');
  await box.waitFor({ state: 'hidden', timeout: 15_000 });
}

/** Opens the chat view and returns the webview's inner frame that holds the transcript. */
export async function getChatFrame(page: Page, timeoutMs = 30_000): Promise<Frame> {
  await runCommand(page, 'AIML Chat: Focus on Chat View');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame() || frame.isDetached()) continue;
      const found = await frame.locator('[role="log"]').count().catch(() => 0);
      if (found > 0) return frame;
    }
    await page.waitForTimeout(250);
  }
  throw new Error('the chat webview (a frame with role="log") did not appear');
}

/** Types a prompt into the Message box and presses Send. */
export async function sendPrompt(frame: Frame, text: string): Promise<void> {
  const box = frame.getByRole('textbox', { name: 'Message' });
  await box.fill(text);
  await frame.getByRole('button', { name: 'Send' }).click();
}

export function assistantTurns(frame: Frame) {
  return frame.getByRole('log').getByRole('article', { name: 'Assistant' });
}

/** Waits until the last assistant turn contains the text, and returns that turn's text. */
export async function waitForAssistantText(frame: Frame, text: string | RegExp, timeoutMs = 30_000): Promise<string> {
  const turn = assistantTurns(frame).last();
  await turn.filter({ hasText: text }).waitFor({ timeout: timeoutMs });
  return (await turn.textContent()) ?? '';
}

/** Waits until no response is streaming (the Stop button is gone). */
export async function waitIdle(frame: Frame, timeoutMs = 30_000): Promise<void> {
  await frame.getByRole('button', { name: 'Stop' }).waitFor({ state: 'hidden', timeout: timeoutMs });
}

/**
 * Whether a webview's frame is on screen: a hidden view whose webview is retained keeps its
 * frames (and their elements count as visible inside them), only the iframes up the chain are hidden.
 */
export async function frameShown(frame: Frame): Promise<boolean> {
  for (let current: Frame | null = frame; current?.parentFrame(); current = current.parentFrame()) {
    const element = await current.frameElement().catch(() => undefined);
    if (!element || !(await element.isVisible())) return false;
  }
  return true;
}
