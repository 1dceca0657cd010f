// The gateway's services in the real workbench: the balance status bar item by its accessible
// name, updated after an answer; the answer's request id in its footer details; a batch started
// from the command palette runs through the documented read to its report.
import * as assert from 'node:assert/strict';
import { useWorkbench, type Workbench } from './support/workbench';
import { getChatFrame, runCommand, sendPrompt, setApiKeyThroughUi, waitForAssistantText, waitIdle } from './support/chat';

describe('e2e: gateway services', function () {
  this.timeout(90_000);
  let wb: Workbench;

  useWorkbench({}, (started) => {
    wb = started;
  });

  it('shows the balance in the status bar once a key is set, and updates it after an answer', async () => {
    const balance = wb.page.locator('[aria-label^="AIML balance"]');
    assert.equal(await balance.count(), 0, 'no key, no balance item (and no request)');
    assert.equal(wb.standIn.requests.filter((r) => r.path === '/v2/billing').length, 0);
    await setApiKeyThroughUi(wb.page, 'test-key');
    await wb.page.getByRole('button', { name: 'AIML balance $12.34', exact: true }).waitFor({ timeout: 30_000 });
    assert.match(await balance.first().innerText(), /\$12\.34/);

    wb.standIn.setGateway({ balanceUsd: 3.21 });
    const frame = await getChatFrame(wb.page);
    await sendPrompt(frame, 'Hello from the balance test');
    await waitForAssistantText(frame, /Hello/);
    await waitIdle(frame);
    await wb.page.getByRole('button', { name: 'AIML balance $3.21', exact: true }).waitFor({ timeout: 30_000 });

    // The answer's footer details hold the gateway's request id, with a copy button.
    await frame.getByText('Details', { exact: true }).last().click();
    const copy = frame.getByRole('button', { name: /^Copy request id inf_/ }).last();
    await copy.waitFor({ timeout: 10_000 });
    const id = (await copy.getAttribute('aria-label'))?.replace('Copy request id ', '');
    assert.match(id ?? '', /^inf_/);
    assert.ok(wb.standIn.requests.some((r) => r.path === '/v1/messages' && r.headers['x-client-request-id']), 'the chat request carried X-Client-Request-Id');
  });

  it('runs a batch from the command palette to its report through the documented read', async () => {
    await runCommand(wb.page, 'AIML Chat: Batch');
    const input = wb.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    await input.fill('**/*.{ts,md}');
    await wb.page.keyboard.press('Enter');
    await wb.page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Explain' }).first().waitFor({ timeout: 15_000 });
    await wb.page.keyboard.type('Explain');
    await wb.page.keyboard.press('Enter');
    // The list of files comes first (all checked); accepting it leads to the cost dialog.
    await wb.page.locator('.quick-input-widget .quick-input-title', { hasText: /will be sent to/ }).waitFor({ timeout: 15_000 });
    await wb.page.keyboard.press('Enter');
    await wb.page.getByRole('button', { name: 'Start Batch' }).click({ timeout: 15_000 });
    // The report opens (markdown preview) once the read answers the results.
    await wb.page.locator('.tab', { hasText: /msgbatch_/ }).first().waitFor({ timeout: 60_000 });
    const batchPaths = wb.standIn.requests.filter((r) => r.path.startsWith('/v1/batches')).map((r) => `${r.method} ${r.path}`);
    assert.equal(batchPaths[0], 'POST /v1/batches');
    assert.ok(batchPaths.slice(1).length >= 2 && batchPaths.slice(1).every((p) => /^GET \/v1\/batches\?batch_id=msgbatch_/.test(p)), batchPaths.join('\n'));
  });
});
