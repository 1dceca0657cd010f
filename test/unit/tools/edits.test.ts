// Edit computation (refusal messages the model can act on) and hunk-by-hunk application.
import * as assert from 'node:assert/strict';
import { computeEdit, minimalChange } from '../../../src/core/tools/edits';
import { applyHunks, computeHunks, summarizeHunks, unifiedDiff } from '../../../src/core/tools/hunks';
import { decodeText, numberedView, MAX_READ_LINES } from '../../../src/core/tools/text';

const file = ['function a() {', '  return 1;', '}', '', 'function b() {', '  return 1;', '}', ''].join('\n');

describe('tools: edit computation', () => {
  it('replaces a unique string and keeps everything else byte for byte', () => {
    const out = computeEdit(file, { action: 'replace', oldText: 'function b() {\n  return 1;', newText: 'function b() {\n  return 2;' });
    assert.ok(out.ok);
    assert.equal(out.text, file.replace('function b() {\n  return 1;', 'function b() {\n  return 2;'));
  });

  it('refuses a string that is not unique and lists the lines', () => {
    const out = computeEdit(file, { action: 'replace', oldText: '  return 1;', newText: '  return 3;' });
    assert.equal(out.ok, false);
    if (!out.ok) assert.equal(out.message, 'old_text occurs 2 times, at lines 2, 6; include more surrounding lines so it matches exactly once.');
  });

  it('refuses a missing string and points at the closest line', () => {
    const out = computeEdit(file, { action: 'replace', oldText: 'function bee() {', newText: 'x' });
    assert.equal(out.ok, false);
    if (!out.ok) assert.match(out.message, /not found.*closest line to its first line is line 5: "function b\(\) \{"/);
  });

  it('says when the text matches only with different whitespace', () => {
    const out = computeEdit(file, { action: 'replace', oldText: 'function b() {\n    return 1;', newText: 'x' });
    assert.equal(out.ok, false);
    if (!out.ok) assert.match(out.message, /matches at line 5 only if whitespace is ignored/);
  });

  it('does not quote a secret file back in a refusal', () => {
    const out = computeEdit('API_KEY=abc123\n', { action: 'replace', oldText: 'API_KEY=abc124', newText: 'x' }, { quiet: true });
    assert.equal(out.ok, false);
    if (!out.ok) assert.doesNotMatch(out.message, /abc/);
  });

  it('refuses an identical replacement and an empty old_text', () => {
    assert.equal(computeEdit(file, { action: 'replace', oldText: '}', newText: '}' }).ok, false);
    assert.equal(computeEdit(file, { action: 'replace', oldText: '', newText: 'x' }).ok, false);
  });

  it('matches LF old_text in a CRLF file and writes CRLF', () => {
    const crlf = 'one\r\ntwo\r\nthree\r\n';
    const out = computeEdit(crlf, { action: 'replace', oldText: 'one\ntwo', newText: 'uno\ndos' });
    assert.ok(out.ok);
    assert.equal(out.text, 'uno\r\ndos\r\nthree\r\n');
  });

  it('inserts after a line, at the top and at an end without a final newline', () => {
    const top = computeEdit('a\nb\n', { action: 'insert', line: 0, newText: 'first' });
    assert.ok(top.ok);
    assert.equal(top.text, 'first\na\nb\n');
    const middle = computeEdit('a\nb\n', { action: 'insert', line: 1, newText: 'mid\n' });
    assert.ok(middle.ok);
    assert.equal(middle.text, 'a\nmid\nb\n');
    const end = computeEdit('a\nb', { action: 'insert', line: 2, newText: 'c' });
    assert.ok(end.ok);
    assert.equal(end.text, 'a\nb\nc');
    const bad = computeEdit('a\nb\n', { action: 'insert', line: 9, newText: 'x' });
    assert.equal(bad.ok, false);
    if (!bad.ok) assert.match(bad.message, /between 0 .* and 2/);
  });

  it('creates only files that do not exist, and edits only files that do', () => {
    assert.equal(computeEdit('x', { action: 'create', newText: 'y' }).ok, false);
    assert.deepEqual(computeEdit(undefined, { action: 'create', newText: 'y' }), { ok: true, text: 'y' });
    const missing = computeEdit(undefined, { action: 'replace', oldText: 'a', newText: 'b' });
    assert.equal(missing.ok, false);
    if (!missing.ok) assert.match(missing.message, /does not exist.*create/);
  });
});

describe('tools: hunks', () => {
  const oldText = Array.from({ length: 40 }, (_, i) => `line ${i + 1}`).join('\n') + '\n';
  const newText = oldText.replace('line 2\n', 'LINE TWO\n').replace('line 20\n', 'line 20\nadded after 20\n').replace('line 38\n', '');

  it('summarizes the hunks for the card', () => {
    const hunks = summarizeHunks(computeHunks(oldText, newText));
    assert.equal(hunks.length, 3);
    assert.deepEqual(hunks.map((h) => h.header), ['@@ -1,5 +1,5 @@', '@@ -18,6 +18,7 @@', '@@ -35,6 +36,5 @@']);
    assert.match(hunks[0].preview, /-line 2\n\+LINE TWO/);
  });

  it('applies every subset of hunks exactly', () => {
    const hunks = computeHunks(oldText, newText);
    assert.equal(hunks.length, 3);
    const expectations: Array<[number[], string]> = [
      [[], oldText],
      [[0, 1, 2], newText],
      [[0], oldText.replace('line 2\n', 'LINE TWO\n')],
      [[1], oldText.replace('line 20\n', 'line 20\nadded after 20\n')],
      [[2], oldText.replace('line 38\n', '')],
      [[0, 2], oldText.replace('line 2\n', 'LINE TWO\n').replace('line 38\n', '')],
      [[1, 2], oldText.replace('line 20\n', 'line 20\nadded after 20\n').replace('line 38\n', '')],
    ];
    for (const [accepted, expected] of expectations) assert.equal(applyHunks(oldText, newText, new Set(accepted)), expected, `hunks ${accepted}`);
  });

  it('keeps CRLF and a missing final newline when applying part of a change', () => {
    const a = Array.from({ length: 20 }, (_, i) => `l${i}`).join('\r\n');
    const b = a.replace('l1\r\n', 'L1\r\n').replace('l19', 'l19!');
    assert.equal(computeHunks(a, b).length, 2);
    assert.equal(applyHunks(a, b, new Set([1])), a.replace('l19', 'l19!'));
    assert.equal(applyHunks(a, b, new Set([0])), a.replace('l1\r\n', 'L1\r\n'));
  });

  it('handles an empty old text (a new file)', () => {
    assert.equal(applyHunks('', 'a\nb\n', new Set([0])), 'a\nb\n');
    assert.equal(applyHunks('', 'a\nb\n', new Set()), '');
  });

  it('writes a readable diff of proposal to result', () => {
    assert.equal(unifiedDiff('f.ts', 'a\nb\n', 'a\nc\n'), '@@ -1,2 +1,2 @@\n a\n-b\n+c');
  });
});

describe('tools: text for the model', () => {
  it('refuses NUL bytes and invalid UTF-8', () => {
    assert.equal(decodeText(new Uint8Array([0x50, 0x4e, 0x47, 0x00, 0x01])).ok, false);
    assert.equal(decodeText(new Uint8Array([0x61, 0xff, 0xfe, 0x62])).ok, false);
    assert.deepEqual(decodeText(new TextEncoder().encode('héllo')), { ok: true, text: 'héllo' });
  });

  it('numbers lines and caps long files with a note', () => {
    const text = Array.from({ length: 2500 }, (_, i) => `row ${i + 1}`).join('\n');
    const view = numberedView(text);
    assert.equal(view.truncated, true);
    assert.equal(view.lastLine, MAX_READ_LINES);
    assert.match(view.text.split('\n')[0], /^ {5}1\trow 1$/);
    const tail = numberedView(text, 2401, -1);
    assert.equal(tail.truncated, false);
    assert.equal(tail.firstLine, 2401);
    assert.equal(tail.lastLine, 2500);
  });

  it('caps by bytes without cutting a line', () => {
    const text = Array.from({ length: 300 }, () => 'x'.repeat(1500)).join('\n');
    const view = numberedView(text);
    assert.equal(view.truncated, true);
    assert.ok(Buffer.byteLength(view.text) <= 256 * 1024);
    assert.ok(view.text.split('\n').every((l) => l.endsWith('x')));
  });
});

describe('tools: minimal change', () => {
  const applyChange = (current: string, change: { start: number; end: number; text: string }) => current.slice(0, change.start) + change.text + current.slice(change.end);
  const cases: Array<[string, string]> = [
    ['abcdef', 'abXYef'], ['abc', 'abc'], ['', 'new'], ['old', ''], ['aaa', 'aaaa'], ['a\r\nb\r\n', 'a\r\nc\r\n'],
    ['x\r\ny', 'x\r\n\r\ny'], ['line\r\n', 'line\r\nmore\r\n'], ['a\r\nb', 'a\nb'],
  ];
  for (const [current, next] of cases) {
    it(`turns ${JSON.stringify(current)} into ${JSON.stringify(next)} without splitting CRLF`, () => {
      const change = minimalChange(current, next);
      assert.equal(applyChange(current, change), next);
      assert.ok(!(current[change.start - 1] === '\r' && current[change.start] === '\n'));
      assert.ok(!(current[change.end - 1] === '\r' && current[change.end] === '\n'));
    });
  }
  it('keeps the range small', () => {
    assert.deepEqual(minimalChange('const a = 1;\nconst b = 2;\n', 'const a = 1;\nconst b = 3;\n'), { start: 23, end: 24, text: '3' });
  });
});
