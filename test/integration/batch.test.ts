// Batch jobs inside a real extension host, against the local stand-in (the harness points
// aimlChat.baseUrl at it). The commands take a third argument with the choices, so no quick pick
// or dialog opens: `aimlChat.batch` (clicked, selected uris, options) and `aimlChat.showBatches`
// ({batchId, action}) for cancel / wait / list.
import * as assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { standInRequests, standInUrl } from './support/standIn';

interface BatchRecord {
  id: string;
  status: string;
  counts: { processing: number; succeeded: number; errored: number; canceled: number; expired: number };
  entries: Array<{ customId: string; path: string }>;
  reportPath?: string;
  resultsPath?: string;
  cancelRequested?: boolean;
}
interface BatchCommandResult { batchId: string; record?: BatchRecord; reportUri?: string }
interface ApplySummary { applied: string[]; skipped: string[]; notApplicable: string[] }

async function until<T>(probe: () => Promise<T | undefined>, what: string, limitMs = 20_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() - started > limitMs) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Three text files of the sample workspace; without a workspace, three files are written to a temp
 * folder instead.
 */
const sampleFolders: vscode.Uri[] = [];

/**
 * A new folder inside the workspace (removed after the suite): batch reads only workspace files,
 * through the same content gate as the tools, as the Explorer offers them.
 */
function scratchFolder(prefix: string): vscode.Uri {
  const root = vscode.workspace.workspaceFolders?.[0]?.uri;
  const folder = root ? vscode.Uri.joinPath(root, `${prefix}-${Date.now()}-${sampleFolders.length}`) : vscode.Uri.file(mkdtempSync(path.join(os.tmpdir(), `aiml-${prefix}-`)));
  sampleFolders.push(folder);
  return folder;
}

async function sampleFiles(): Promise<vscode.Uri[]> {
  const found = vscode.workspace.workspaceFolders?.length
    ? await vscode.workspace.findFiles('**/*.{ts,js,py,md}', '**/node_modules/**', 50)
    : [];
  const usable: vscode.Uri[] = [];
  for (const uri of found.sort((a, b) => a.path.localeCompare(b.path))) {
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.size > 0 && stat.size < 50_000) usable.push(uri);
    if (usable.length === 3) return usable;
  }
  const folder = scratchFolder('batch-samples');
  await vscode.workspace.fs.createDirectory(folder);
  const files: Record<string, string> = {
    'math.ts': 'export function add(a: number, b: number): number {\n  return a + b;\n}\n',
    'greet.py': 'def greet(name):\n    return f"Hello, {name}!"\n',
    'notes.md': '# Notes\n\nA short document about the project.\n',
  };
  const uris: vscode.Uri[] = [];
  for (const [name, text] of Object.entries(files)) {
    const uri = vscode.Uri.joinPath(folder, name);
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    uris.push(uri);
  }
  return uris;
}

let conversationsFolder = '';
/** The extension's batches folder in global storage (beside the conversations folder). */
function batchesFolder(): string {
  return path.join(path.dirname(conversationsFolder), 'batches');
}

async function reportText(record: BatchRecord | undefined): Promise<string> {
  assert.ok(record?.reportPath, 'the batch has a report');
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(record.reportPath));
  assert.equal(document.languageId, 'markdown');
  return document.getText();
}

describe('batch jobs (extension host + stand-in)', function () {
  this.timeout(90_000);

  before(async () => {
    const extension = vscode.extensions.getExtension('aiml-chat.aiml-chat');
    assert.ok(extension, 'the extension is installed');
    conversationsFolder = ((await extension.activate()) as { chat: { conversationsFolder: string } }).chat.conversationsFolder;
    await vscode.commands.executeCommand('aimlChat.setApiKey', 'test-key');
  });

  after(async () => {
    for (const folder of sampleFolders.splice(0)) await Promise.resolve(vscode.workspace.fs.delete(folder, { recursive: true })).catch(() => undefined);
  });

  it('runs a 3-file explain batch from the Explorer selection to the markdown report', async () => {
    const uris = await sampleFiles();
    const result = await vscode.commands.executeCommand<BatchCommandResult>('aimlChat.batch', uris[0], uris, { task: 'explain', confirm: false, pollDelayMs: 100 });
    assert.ok(result?.batchId.startsWith('msgbatch_'), JSON.stringify(result));
    assert.equal(result.record?.status, 'ended');
    assert.deepEqual(result.record?.counts, { processing: 0, succeeded: 3, errored: 0, canceled: 0, expired: 0 });
    assert.ok(result.reportUri, 'the command returns the report');

    const report = await reportText(result.record);
    assert.match(report, /^# Batch report: Explain \(3 files\)$/m);
    assert.match(report, /\| Model \| `[^`]+` \|/);
    assert.match(report, new RegExp(`\\| Batch \\| \`${result.batchId}\` \\|`));
    assert.match(report, /\| Results \| 3 succeeded, 0 errored, 0 canceled, 0 expired \|/);
    const sections = [...report.matchAll(/^## `(.+)`$/gm)].map((m) => m[1]).sort();
    assert.deepEqual(sections, uris.map((u) => vscode.workspace.asRelativePath(u)).sort(), 'one section per file, named by its path');
    assert.doesNotMatch(report, /Requests without an answer/);

    // Status and results came through the documented read only (GET /v1/batches?batch_id=).
    const paths = (await standInRequests()).map((r) => `${r.method} ${r.path}`).filter((p) => p.includes(result.batchId));
    assert.ok(paths.length >= 2, paths.join('\n'));
    assert.ok(paths.every((p) => p === `GET /v1/batches?batch_id=${result.batchId}`), paths.join('\n'));

    // The job is listed and remembered for the next window.
    const listed = await vscode.commands.executeCommand<BatchRecord[]>('aimlChat.showBatches', { action: 'list' });
    assert.ok(listed?.some((r) => r.id === result.batchId && r.status === 'ended'));
  });

  it('resumes a batch stored by the previous version (old record shape) through the documented read', async () => {
    // A batch the gateway is running, created directly on the stand-in.
    const params = (text: string) => ({ model: 'claude-haiku-4-5', max_tokens: 256, messages: [{ role: 'user', content: text }] });
    const created = await (await fetch(`${standInUrl()}/v1/batches`, {
      method: 'POST', headers: { authorization: 'Bearer test-key', 'content-type': 'application/json' },
      body: JSON.stringify({ requests: ['one', 'two', 'three'].map((name) => ({ custom_id: `old-${name}`, params: params(`Explain file ${name}`) })) }),
    })).json() as { id: string };
    // The record exactly as the version before this change wrote it (no field added since).
    const oldRecord = {
      id: created.id, task: 'explain', model: 'claude-haiku-4-5', baseUrl: standInUrl(), createdAt: Date.now(), status: 'in_progress',
      counts: { processing: 3, succeeded: 0, errored: 0, canceled: 0, expired: 0 },
      entries: ['one', 'two', 'three'].map((name) => ({ customId: `old-${name}`, path: `src/${name}.ts`, location: `file:///ws/src/${name}.ts`, language: 'typescript', bytes: 10 })),
      skipped: [],
    };
    await mkdir(batchesFolder(), { recursive: true });
    const index = path.join(batchesFolder(), 'batches.json');
    // Earlier tests may have written today's versioned file ({version, batches}); the previous
    // version wrote a bare array, which is what this test stores (migrated on load).
    const stored = JSON.parse(await readFile(index, 'utf8').catch(() => '[]')) as unknown[] | { batches?: unknown[] };
    const existing = Array.isArray(stored) ? stored : stored.batches ?? [];
    await writeFile(index, JSON.stringify([oldRecord, ...existing], null, 1));
    // A key set again resumes unfinished batches, re-reading the index.
    await vscode.commands.executeCommand('aimlChat.clearApiKey');
    await vscode.commands.executeCommand('aimlChat.setApiKey', 'test-key');
    const listed = await until(async () => {
      const records = await vscode.commands.executeCommand<BatchRecord[]>('aimlChat.showBatches', { action: 'list' });
      return records?.find((r) => r.id === created.id);
    }, 'the old batch to be loaded');
    assert.equal(listed.status, 'in_progress');
    const final = await vscode.commands.executeCommand<BatchRecord>('aimlChat.showBatches', { batchId: created.id, action: 'wait' });
    assert.equal(final?.status, 'ended');
    assert.deepEqual(final?.counts, { processing: 0, succeeded: 3, errored: 0, canceled: 0, expired: 0 });
    const report = await reportText(final);
    assert.match(report, /\| Results \| 3 succeeded, 0 errored, 0 canceled, 0 expired \|/);
    assert.match(report, /^## `src\/two\.ts`$/m);
    const paths = (await standInRequests()).map((r) => `${r.method} ${r.path}`).filter((p) => p.includes(created.id));
    assert.ok(paths.every((p) => p === `GET /v1/batches?batch_id=${created.id}`), paths.join('\n'));
  });

  it('cancels a running batch midway and reports the canceled requests', async () => {
    const uris = await sampleFiles();
    // `[[batch:slow]]` keeps the stand-in's batch running until it is canceled.
    const started = await vscode.commands.executeCommand<BatchCommandResult>('aimlChat.batch', undefined, uris, {
      task: 'custom', customPrompt: 'Summarise this file in one sentence. [[batch:slow]]', confirm: false, wait: false, pollDelayMs: 100,
    });
    assert.ok(started?.batchId, 'the batch was created');
    const batchId = started.batchId;

    // Wait until the extension has polled it at least once and shows it running.
    await until(async () => {
      const records = await vscode.commands.executeCommand<BatchRecord[]>('aimlChat.showBatches', { action: 'list' });
      const record = records?.find((r) => r.id === batchId);
      return record?.status === 'in_progress' ? record : undefined;
    }, 'the batch to be running');

    await vscode.commands.executeCommand('aimlChat.showBatches', { batchId, action: 'cancel' });
    const final = await vscode.commands.executeCommand<BatchRecord>('aimlChat.showBatches', { batchId, action: 'wait' });
    assert.equal(final?.status, 'ended');
    assert.equal(final?.cancelRequested, true);
    assert.equal(final?.counts.canceled, 3);

    const report = await reportText(final);
    assert.match(report, /\| Results \| 0 succeeded, 0 errored, 3 canceled, 0 expired \|/);
    assert.match(report, /^## Requests without an answer$/m);
    const canceled = report.split('\n').filter((line) => /— \*\*canceled\*\*: the batch was canceled/.test(line));
    assert.equal(canceled.length, 3, report);
    assert.match(report, /^> Summarise this file in one sentence/m);
  });

  it('turns review suggestions into edits through the approval flow (discard, then apply)', async () => {
    const reviewFolder = scratchFolder('review');
    await vscode.workspace.fs.createDirectory(reviewFolder);
    const uri = vscode.Uri.joinPath(reviewFolder, 'calc.ts');
    const original = 'export function total(items: number[]): number {\n  let sum = 0;\n  for (let i = 0; i <= items.length; i++) sum += items[i];\n  return sum;\n}\n';
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(original));
    const result = await vscode.commands.executeCommand<BatchCommandResult>('aimlChat.batch', undefined, [uri], { task: 'review', confirm: false, pollDelayMs: 100 });
    const record = result?.record;
    assert.ok(record?.resultsPath, 'the review batch kept its results');

    // The stand-in cannot script a batch answer, so the downloaded results are replaced by what a
    // model following the review prompt returns.
    const answer = [
      'The loop reads one element past the end.',
      'REPLACE:', '```ts', '  for (let i = 0; i <= items.length; i++) sum += items[i];', '```',
      'WITH:', '```ts', '  for (const item of items) sum += item;', '```',
    ].join('\n');
    const line = JSON.stringify({ custom_id: record.entries[0].customId, result: { type: 'succeeded', message: { content: [{ type: 'text', text: answer }], stop_reason: 'end_turn' } } });
    await vscode.workspace.fs.writeFile(vscode.Uri.file(record.resultsPath), new TextEncoder().encode(`${line}\n`));

    const discarded = await vscode.commands.executeCommand<ApplySummary>('aimlChat.showBatches', { batchId: record.id, action: 'applySuggestions', preset: 'discard' });
    assert.equal(discarded?.skipped.length, 1);
    assert.equal(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)), original, 'discard leaves the file alone');

    const applied = await vscode.commands.executeCommand<ApplySummary>('aimlChat.showBatches', { batchId: record.id, action: 'applySuggestions', preset: 'apply' });
    assert.deepEqual(applied?.notApplicable, []);
    assert.equal(applied?.applied.length, 1);
    const after = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    assert.equal(after, original.replace('  for (let i = 0; i <= items.length; i++) sum += items[i];', '  for (const item of items) sum += item;'));
  });
});
