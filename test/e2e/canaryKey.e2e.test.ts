// Security suite in the real workbench (docs/SECURITY.md), canary key: a unique key is typed into
// the Set API Key password box, then it is used the ways that could leak it (a chat answer, an API
// error whose body quotes the key back, a batch job with its report, the output channel at debug
// level), and every place the extension or VS Code writes to is searched for it: the settings
// files, every file under code-server's user-data dir (logs, globalStorage, workspaceStorage, the
// SQLite state databases as bytes), the extensions dir, the workspace, the output channel's text
// and the DOM of every frame. The last test plants the canary in those places and checks that the
// scanner finds each one, so a clean scan means clean, not blind.
import * as assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Frame, Page } from 'playwright-core';
import { useWorkbench, type Workbench } from './support/workbench';
import { assistantTurns, getChatFrame, runCommand, sendPrompt, setApiKeyThroughUi, waitIdle } from './support/chat';
import { canaryForms, listFiles, scanText, scanTree, type CanaryHit, type ScanResult } from './support/canaryScan';

const CANARY = `sk-canary-${randomBytes(16).toString('hex')}`;
const FORMS = canaryForms(CANARY);

/** The AIML Chat output channel's file (a LogOutputChannel writes one under the logs folder). */
function outputLogFile(userDataDir: string, scanned: readonly string[]): string | undefined {
  return scanned.find((file) => file.startsWith(path.join(userDataDir, 'logs')) && path.basename(file).endsWith('AIML Chat.log'));
}

/** outerHTML of every frame of the page (the workbench, the webview host frames, the chat view). */
async function scanDom(page: Page): Promise<{ frames: number; characters: number; hits: CanaryHit[] }> {
  let frames = 0;
  let characters = 0;
  const hits: CanaryHit[] = [];
  for (const frame of page.frames()) {
    if (frame.isDetached()) continue;
    const html = await frame.evaluate<string>('document.documentElement.outerHTML').catch(() => undefined);
    if (html === undefined) continue;
    frames += 1;
    characters += html.length;
    hits.push(...scanText(`DOM of frame ${frame.url().slice(0, 80)}`, html, FORMS));
  }
  return { frames, characters, hits };
}

/**
 * The workbench page's browser storage, where code-server keeps VS Code's state databases
 * (globalState, workspace state: IndexedDB) and localStorage. Runs in the page; values are
 * turned into text (bytes decoded as UTF-8, objects as JSON).
 */
const READ_BROWSER_STORAGE = `(async () => {
  const text = (v) => typeof v === 'string' ? v : v instanceof Uint8Array ? new TextDecoder().decode(v) : v instanceof ArrayBuffer ? new TextDecoder().decode(new Uint8Array(v)) : JSON.stringify(v, (k, x) => x instanceof Uint8Array ? new TextDecoder().decode(x) : x);
  const entries = [];
  for (let i = 0; i < localStorage.length; i++) entries.push({ where: 'localStorage', key: localStorage.key(i), value: localStorage.getItem(localStorage.key(i)) });
  for (const info of await indexedDB.databases()) {
    const db = await new Promise((ok, fail) => { const r = indexedDB.open(info.name); r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error); });
    for (const store of Array.from(db.objectStoreNames)) {
      const read = (method) => new Promise((ok, fail) => { const r = db.transaction(store, 'readonly').objectStore(store)[method](); r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error); });
      const [keys, values] = [await read('getAllKeys'), await read('getAll')];
      keys.forEach((key, i) => entries.push({ where: info.name + '/' + store, key: text(key), value: text(values[i]) }));
    }
    db.close();
  }
  return entries;
})()`;

interface StorageEntry { where: string; key: string; value: string }

async function waitForFile(find: () => string | undefined, what: string, timeoutMs = 60_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`${what} did not appear within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** "Developer: Set Log Level…", AIML Chat, Debug: what a user does to get debug logs. */
async function setDebugLogLevel(page: Page): Promise<void> {
  await runCommand(page, 'Developer: Set Log Level');
  const input = page.locator('.quick-input-widget input');
  await input.fill('AIML Chat');
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'AIML Chat' }).first().waitFor({ timeout: 15_000 });
  await page.keyboard.press('Enter');
  await input.fill('Debug');
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Debug' }).first().waitFor({ timeout: 15_000 });
  await page.keyboard.press('Enter');
}

/** Palette "AIML Chat: Batch…" with nothing selected: glob, task, file list, cost confirmation. */
async function runBatchThroughUi(page: Page): Promise<void> {
  await runCommand(page, 'AIML Chat: Batch');
  const input = page.locator('.quick-input-widget input');
  await page.locator('.quick-input-widget', { hasText: 'Which files?' }).waitFor({ timeout: 15_000 });
  await input.fill('src/**/*.ts');
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Explain' }).first().waitFor({ timeout: 15_000 });
  await input.fill('Explain');
  await page.keyboard.press('Enter');
  // The file list (multi-select, every file checked): Enter keeps them all.
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'greet.ts' }).first().waitFor({ timeout: 30_000 });
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: 'Start Batch' }).click({ timeout: 30_000 });
}

describe('e2e: security (canary key)', function () {
  this.timeout(240_000);
  let wb: Workbench;
  let chat: Frame;
  let roots: string[];

  // Any non-empty key is accepted, so the canary works as a key; batches finish within a second.
  useWorkbench({ standIn: { anyKey: true, batchStepMs: 100 }, startTimeoutMs: 240_000 }, async (started) => {
    wb = started;
    roots = [wb.profile.userDataDir, wb.profile.extensionsDir, wb.profile.workspace];
  });

  it('uses the key set through the UI for an answer, an error that echoes it, a batch and debug logging', async () => {
    await setApiKeyThroughUi(wb.page, CANARY);
    await setDebugLogLevel(wb.page);
    chat = await getChatFrame(wb.page);

    wb.standIn.enqueue({ kind: 'text', text: 'The canary answer is here.' });
    await sendPrompt(chat, 'Say something short');
    await assistantTurns(chat).last().filter({ hasText: 'The canary answer is here.' }).waitFor({ timeout: 60_000 });
    await waitIdle(chat);

    wb.standIn.enqueue({ kind: 'fault', fault: 'echoKey' });
    await sendPrompt(chat, 'This request is refused by a gateway that quotes the key');
    const alert = chat.getByRole('alert').filter({ hasText: /stand-in fault echoKey/ });
    await alert.waitFor({ timeout: 60_000 });
    assert.ok(!((await alert.textContent()) ?? '').includes(CANARY), 'the error shown does not quote the key');

    // The key reached the stand-in on every call (it was really used).
    const calls = wb.standIn.requests.filter((r) => r.path.startsWith('/v1/messages'));
    assert.ok(calls.length >= 2 && calls.every((r) => r.authMatched), `${calls.length} authenticated /v1/messages calls`);

    await runBatchThroughUi(wb.page);
    const report = await waitForFile(() => listFiles([wb.profile.userDataDir]).find((f) => /batch/i.test(f) && f.endsWith('.md') && path.basename(path.dirname(f)) === 'batches'), 'the batch report');
    assert.match(readFileSync(report, 'utf8'), /greet\.ts/);
    assert.ok(wb.standIn.requests.some((r) => r.method === 'POST' && r.path === '/v1/batches' && r.authMatched), 'the batch was sent with the key');
  });

  it('finds the key in none of the files, the output channel or the DOM', async () => {
    const files: ScanResult = scanTree(roots, FORMS);
    const settings = [path.join(wb.profile.userDataDir, 'User', 'settings.json'), path.join(wb.profile.userDataDir, 'Machine', 'settings.json')];
    for (const file of settings) assert.ok(files.scanned.includes(file), `${file} was scanned`);
    // code-server keeps VS Code's state databases in the browser; any on the server are scanned as bytes.
    const areas = { logs: 'logs', globalStorage: path.join('User', 'globalStorage'), workspaceStorage: path.join('User', 'workspaceStorage'), history: path.join('User', 'History') };
    const byArea = Object.entries(areas).map(([name, dir]) => `${name} ${files.scanned.filter((f) => f.startsWith(path.join(wb.profile.userDataDir, dir))).length}`);
    const sqlite = files.scanned.filter((f) => /\.(vscdb|sqlite|db)(-wal|-shm|-journal)?$/.test(f)).length;
    assert.ok(files.scanned.some((f) => /globalStorage/.test(f) && /batch/i.test(f)), 'the batch files were scanned');

    const log = outputLogFile(wb.profile.userDataDir, files.scanned);
    assert.ok(log, 'the AIML Chat output channel has a log file');
    const logText = readFileSync(log, 'utf8');
    assert.match(logText, /\[debug\]/, 'debug logging was on');
    const logHits = scanText('output channel', logText, FORMS);

    // Browser storage: every entry but VS Code's SecretStorage (where the key belongs).
    const entries = await wb.page.evaluate<StorageEntry[]>(READ_BROWSER_STORAGE);
    const secretEntries = entries.filter((e) => /secret/i.test(e.key));
    const storageHits = entries.filter((e) => !secretEntries.includes(e)).flatMap((e) => scanText(`${e.where} ${e.key.slice(0, 80)}`, `${e.key}\n${e.value}`, FORMS));
    const secretPlain = secretEntries.some((e) => scanText('', e.value, FORMS).length > 0);

    const dom = await scanDom(wb.page);
    assert.ok(dom.frames >= 3, `the workbench and the chat view's frames were read (${dom.frames})`);
    console.log(`      canary scan: ${files.files} files (${(files.bytes / 1e6).toFixed(1)} MB; ${byArea.join(', ')}, ${sqlite} SQLite), output channel ${logText.split('\n').length} lines, ${entries.length} browser storage entries (${secretEntries.length} SecretStorage, key ${secretPlain ? 'in plain text' : 'not in plain text'} there), ${dom.frames} frames (${dom.characters} characters of DOM)`);
    assert.ok(entries.some((e) => e.where !== 'localStorage'), 'the IndexedDB state databases were read');
    assert.deepEqual([...files.hits, ...logHits, ...storageHits, ...dom.hits], []);
  });

  it('the scanner finds the canary when it is planted in each of those places', async () => {
    const userDir = path.join(wb.profile.userDataDir, 'User');
    const log = outputLogFile(wb.profile.userDataDir, listFiles([wb.profile.userDataDir]));
    assert.ok(log);
    const binary = (form: Buffer) => Buffer.concat([randomBytes(64), Buffer.from([0, 0, 0]), form, randomBytes(64)]);
    const base64 = FORMS.find((f) => f.name === 'base64@1')!.bytes;
    const planted: Array<[string, Buffer]> = [
      [path.join(path.dirname(log), 'planted.log'), Buffer.from(`2026-01-01 [debug] Authorization: Bearer ${CANARY}\n`)],
      [path.join(userDir, 'globalStorage', 'planted', 'state.vscdb'), binary(Buffer.from(CANARY, 'utf16le'))],
      [path.join(userDir, 'workspaceStorage', 'planted', 'blob.bin'), binary(base64)],
      [path.join(wb.profile.workspace, '.vscode', 'planted-settings.json'), Buffer.from(JSON.stringify({ key: Buffer.from(`Bearer ${CANARY}`).toString('base64') }))],
    ];
    for (const [file, content] of planted) {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, content);
    }
    appendFileSync(log, `planted ${CANARY}\n`);
    const found = scanTree(roots, FORMS);
    const hitFiles = new Set(found.hits.map((h) => h.where));
    for (const [file] of planted) assert.ok(hitFiles.has(file), `found in ${file}`);
    assert.ok(hitFiles.has(log), 'found in the output channel file');
    assert.equal(hitFiles.size, planted.length + 1, `only the planted files: ${[...hitFiles].join(', ')}`);

    // In the browser's storage (IndexedDB, where code-server keeps the state databases, and localStorage).
    await wb.page.evaluate(`new Promise((ok) => { const r = indexedDB.open('planted-canary', 1); r.onupgradeneeded = () => r.result.createObjectStore('items'); r.onsuccess = () => { const t = r.result.transaction('items', 'readwrite'); t.objectStore('items').put(new TextEncoder().encode(${JSON.stringify(CANARY)}), 'blob'); t.oncomplete = () => { r.result.close(); ok(); }; }; })`);
    await wb.page.evaluate(`localStorage.setItem('planted', btoa('xy' + ${JSON.stringify(CANARY)}))`);
    const entries = await wb.page.evaluate<StorageEntry[]>(READ_BROWSER_STORAGE);
    const storageHits = entries.flatMap((e) => scanText(e.where, `${e.key}\n${e.value}`, FORMS).map((h) => `${h.where} ${h.form}`));
    assert.ok(storageHits.includes('planted-canary/items utf8') && storageHits.includes('localStorage base64@2'), storageHits.join(', '));

    // And in a frame's DOM: the chat view's transcript.
    await chat.evaluate(`document.querySelector('[role="log"]').append(document.createTextNode(btoa('x' + ${JSON.stringify(CANARY)})))`);
    const dom = await scanDom(wb.page);
    assert.equal(dom.hits.length, 1, JSON.stringify(dom.hits));
    assert.ok(existsSync(log));
  });
});
