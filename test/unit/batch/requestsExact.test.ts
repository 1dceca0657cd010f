// Building a batch, exactly: each file check at its bounds (NUL inside and past the 8 KiB sniff,
// the size limit and one byte over it, whitespace only), the max_tokens clamp, the user message
// text, the entries and skips in order, the request limit, and the token estimate.
import * as assert from 'node:assert/strict';
import { DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_REQUESTS, buildBatchRequests, checkFile, clampMaxTokens, sizeProblem, userMessageFor, type BatchFileInput } from '../../../src/core/batch/requests';
import { instructionFor, systemPromptFor } from '../../../src/core/batch/tasks';

const encode = (text: string) => new TextEncoder().encode(text);
const file = (path: string, text: string): BatchFileInput => ({ path, location: `file:///ws/${path}`, bytes: encode(text) });
const MODEL = 'claude-sonnet-4-6';

describe('batch requests, exact', () => {
  it('has a 100 KiB file limit and 100 requests by default', () => {
    assert.equal(DEFAULT_MAX_FILE_BYTES, 102_400);
    assert.equal(DEFAULT_MAX_REQUESTS, 100);
    assert.equal(sizeProblem(102_400), undefined);
    assert.equal(sizeProblem(102_401), 'too large (100 KB, the limit is 100 KB)');
    assert.equal(sizeProblem(2049, 2048), 'too large (2.0 KB, the limit is 2.0 KB)');
    assert.equal(sizeProblem(2048, 2048), undefined);
  });

  it('checks each file at its bounds', () => {
    assert.deepEqual(checkFile(new Uint8Array(102_400).fill(0x61)), { ok: true, text: 'a'.repeat(102_400) });
    assert.deepEqual(checkFile(new Uint8Array(102_401).fill(0x61)), { ok: false, reason: 'too large (100 KB, the limit is 100 KB)' });
    assert.deepEqual(checkFile(encode('abc'), 2), { ok: false, reason: 'too large (3 B, the limit is 2 B)' });
    const nulAt = (at: number) => { const bytes = new Uint8Array(9000).fill(0x61); bytes[at] = 0; return checkFile(bytes); };
    assert.deepEqual(nulAt(0), { ok: false, reason: 'binary file' });
    assert.deepEqual(nulAt(8191), { ok: false, reason: 'binary file' });
    assert.equal(nulAt(8192).ok, true, 'only the first 8 KiB are sniffed for NUL');
    assert.deepEqual(checkFile(Uint8Array.from([0x61, 0xc3])), { ok: false, reason: 'binary file (not valid UTF-8)' });
    assert.deepEqual(checkFile(encode(' \n\t\r\n')), { ok: false, reason: 'only whitespace' });
    assert.deepEqual(checkFile(encode('\uFEFF \n')), { ok: false, reason: 'only whitespace' });
    assert.deepEqual(checkFile(encode('x\uFEFF')), { ok: true, text: 'x\uFEFF' }, 'only a leading byte-order mark is dropped');
  });

  it('clamps max_tokens to a whole number between 1 and the model\'s ceiling', () => {
    assert.equal(clampMaxTokens(Number.NaN, MODEL), 4096);
    assert.equal(clampMaxTokens(Number.POSITIVE_INFINITY, MODEL), 4096);
    assert.equal(clampMaxTokens(0, MODEL), 1);
    assert.equal(clampMaxTokens(-5, MODEL), 1);
    assert.equal(clampMaxTokens(1.9, MODEL), 1);
    assert.equal(clampMaxTokens(2048.7, MODEL), 2048);
    assert.equal(clampMaxTokens(64_000, MODEL), 64_000);
    assert.equal(clampMaxTokens(64_001, MODEL), 64_000);
    assert.equal(clampMaxTokens(200_000, 'claude-opus-4-7'), 128_000);
  });

  it('writes the user message: instruction, path, a fence with the language, the text ending in a newline', () => {
    assert.equal(userMessageFor('Do it.', 'src/a.py', 'x = 1'), 'Do it.\n\nFile: `src/a.py`\n\n```python\nx = 1\n```');
    assert.equal(userMessageFor('Do it.', 'notes', 'a\n'), 'Do it.\n\nFile: `notes`\n\n```\na\n```');
    assert.equal(userMessageFor('I', 'r.md', '```\nx\n```'), 'I\n\nFile: `r.md`\n\n````markdown\n```\nx\n```\n````');
  });

  it('builds one request per usable file with exact params, entries, skips and estimate', () => {
    const files = [
      file('a.ts', 'let a;\n'),
      file('a.ts', 'again'),
      file('e.ts', ''),
      { path: 'b.py', location: 'file:///ws/b.py', bytes: encode('b = 2') },
      file('c.ts', 'let c;'),
      file('d.ts', 'let d;'),
      file('w.ts', '   '),
    ];
    const built = buildBatchRequests(files, { task: 'explain', model: MODEL, maxTokens: 1000, maxRequests: 2 });
    const system = systemPromptFor('explain');
    const first = userMessageFor(instructionFor('explain'), 'a.ts', 'let a;\n');
    const second = userMessageFor(instructionFor('explain'), 'b.py', 'b = 2');
    assert.deepEqual(built.requests, [
      { custom_id: built.entries[0].customId, params: { model: MODEL, max_tokens: 1000, system, messages: [{ role: 'user', content: first }] } },
      { custom_id: built.entries[1].customId, params: { model: MODEL, max_tokens: 1000, system, messages: [{ role: 'user', content: second }] } },
    ]);
    assert.deepEqual(built.entries.map((e) => ({ ...e, customId: e.customId.split('-')[0] })), [
      { customId: 'a_ts', path: 'a.ts', location: 'file:///ws/a.ts', language: 'typescript', bytes: 7 },
      { customId: 'b_py', path: 'b.py', location: 'file:///ws/b.py', language: 'python', bytes: 5 },
    ]);
    assert.deepEqual(built.skipped, [
      { path: 'e.ts', location: 'file:///ws/e.ts', reason: 'empty file' },
      { path: 'c.ts', location: 'file:///ws/c.ts', reason: 'over the limit of 2 files per batch' },
      { path: 'd.ts', location: 'file:///ws/d.ts', reason: 'over the limit of 2 files per batch' },
      { path: 'w.ts', location: 'file:///ws/w.ts', reason: 'only whitespace' },
    ]);
    assert.deepEqual(built.estimate, { inputTokens: Math.ceil((first.length + second.length + 2 * system.length) / 4), maxOutputTokens: 2000 });
  });

  it('sends at least one request even with a limit of 0, and estimates nothing for no files', () => {
    const built = buildBatchRequests([file('a.ts', 'a'), file('b.ts', 'b')], { task: 'custom', customPrompt: 'Go', model: MODEL, maxTokens: 10, maxRequests: 0 });
    assert.deepEqual(built.entries.map((e) => e.path), ['a.ts']);
    assert.deepEqual(built.skipped.map((s) => s.reason), ['over the limit of 1 files per batch']);
    const none = buildBatchRequests([], { task: 'explain', model: MODEL, maxTokens: 10 });
    assert.deepEqual(none, { requests: [], entries: [], skipped: [], estimate: { inputTokens: 0, maxOutputTokens: 0 } });
    const many = buildBatchRequests(Array.from({ length: 101 }, (_, i) => file(`f${i}.ts`, 'x')), { task: 'explain', model: MODEL, maxTokens: 10 });
    assert.equal(many.requests.length, 100);
    assert.deepEqual(many.skipped.map((s) => [s.path, s.reason]), [['f100.ts', 'over the limit of 100 files per batch']]);
  });

  it('refuses a blank model and a bad request before anything is built', () => {
    assert.throws(() => buildBatchRequests([file('a.ts', 'a')], { task: 'explain', model: '  ', maxTokens: 10 }), { message: 'No model is configured.' });
    assert.throws(() => buildBatchRequests([file('a.ts', 'a')], { task: 'custom', model: MODEL, maxTokens: 10 }), { message: 'The custom task needs a prompt.' });
    assert.throws(() => buildBatchRequests([file('a.ts', 'a')], { task: 'explain', model: 'gpt-4o', maxTokens: 10 }), /not one the AI\/ML API offers/);
    assert.deepEqual(buildBatchRequests([file('e.ts', '')], { task: 'explain', model: 'gpt-4o', maxTokens: 10 }).requests, [], 'checked with the first request only');
  });
});
