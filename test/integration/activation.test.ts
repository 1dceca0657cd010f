// Harness notes (read by whoever adds a suite): every test/integration/**/*.test.ts is bundled by
// scripts/lib/runner-build.mjs and run by mocha inside the real extension host
// (`npm run test:integration`, or `-- --grep PATTERN`). Use the `vscode` API directly. The harness
// provides: aimlChat.baseUrl (Machine/settings.json) = the stand-in, env AIML_STANDIN_URL,
// AIML_TEST_USER_DATA_DIR, AIML_TEST_WORKSPACE (the same in <user-data-dir>/aiml-test-env.json).
// The stand-in accepts the key 'test-key'. Default timeout 20 s per test.
import * as assert from 'node:assert/strict';
import { appendFileSync, readFileSync } from 'node:fs';
import * as vscode from 'vscode';

const EXTENSION_ID = 'aiml-chat.aiml-chat';

describe('activation', () => {
  it('activates the extension and reports its activation time', async () => {
    const ext = vscode.extensions.getExtension<{ activatedInMs: number; activationLaps: Record<string, number>; bundleEvaluatedInMs: number }>(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is installed`);
    const api = await ext.activate();
    assert.equal(ext.isActive, true);
    // Timed with performance.now() around activate()'s body and logged at debug level (issue 15's
    // target: 15 ms). A loaded machine makes it slower, so only its shape is asserted here.
    assert.equal(typeof api.activatedInMs, 'number');
    assert.ok(Number.isFinite(api.activatedInMs) && api.activatedInMs > 0, `activatedInMs=${api.activatedInMs}`);
    assert.ok(api.activatedInMs < 1000, `activation took ${api.activatedInMs} ms`);
    assert.ok(Object.keys(api.activationLaps).length >= 5, `parts of activate(): ${JSON.stringify(api.activationLaps)}`);
    // Evaluating dist/extension.js's modules, before activate() was called (not in activatedInMs).
    assert.ok(Number.isFinite(api.bundleEvaluatedInMs) && api.bundleEvaluatedInMs > 0, `bundleEvaluatedInMs=${api.bundleEvaluatedInMs}`);
    console.log(`      activatedInMs=${api.activatedInMs.toFixed(2)} bundleEvaluatedInMs=${api.bundleEvaluatedInMs.toFixed(2)}`);
    // bench/activation.bench.ts starts fresh hosts and takes the median of what they write here
    // (the harness does not keep the console of the extension host).
    const out = process.env.AIML_ACTIVATION_OUT;
    if (out) appendFileSync(out, `${JSON.stringify({ activatedInMs: api.activatedInMs, laps: api.activationLaps, bundleEvaluatedInMs: api.bundleEvaluatedInMs })}\n`);
  });

  it('loads the batch feature only on first use, and it works then', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    await ext.activate();
    const listed = await vscode.commands.executeCommand<unknown[]>('aimlChat.showBatches', { action: 'list' });
    assert.ok(Array.isArray(listed), 'aimlChat.showBatches answered from dist/batch.js');
  });

  it('loads the tool runner (dist/tools.js) on first use, and it offers the tools then', async () => {
    const ext = vscode.extensions.getExtension<{ tools: { isLoaded: boolean; definitions(): Array<{ name: string }>; pendingDecisions(): unknown[] } }>(EXTENSION_ID)!;
    const { tools } = await ext.activate();
    assert.deepEqual(tools.pendingDecisions(), [], 'nothing waits for a decision');
    const names = tools.definitions().map((definition) => definition.name);
    assert.equal(tools.isLoaded, true);
    for (const name of ['read_file', 'list_directory', 'search_text']) assert.ok(names.includes(name), `${name} offered: ${names.join(', ')}`);
  });

  it('registers every command contributed in package.json', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    await ext.activate();
    const contributed = (ext.packageJSON.contributes.commands as { command: string }[]).map((c) => c.command);
    assert.ok(contributed.length >= 9);
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((c) => !registered.has(c));
    assert.deepEqual(missing, [], `commands without a handler: ${missing.join(', ')}`);
  });

  it('opens the chat view (aimlChat.chat.focus)', async () => {
    await vscode.commands.executeCommand('aimlChat.chat.focus');
  });

  it('runs with the packaged manifest (no sources shipped)', () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const pkg = JSON.parse(readFileSync(vscode.Uri.joinPath(ext.extensionUri, 'package.json').fsPath, 'utf8'));
    assert.equal(pkg.main, './dist/extension.js');
  });
});
