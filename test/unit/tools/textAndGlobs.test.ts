// Exact edges of the glob checks and of turning bytes into numbered text (issue 17): each limit at
// its value and one past it, each refusal by its own reason.
import * as assert from 'node:assert/strict';
import { globRefusal, MAX_GLOB_CHARS } from '../../../src/core/tools/globs';
import { decodeText, MAX_LINE_CHARS, MAX_READ_BYTES, MAX_READ_LINES, numberedView, quoteLine, splitLines } from '../../../src/core/tools/text';

describe('tools: glob checks', () => {
  const RELATIVE = 'the pattern must be relative to the workspace';
  const cases: Array<[string, string | undefined]> = [
    ['src/**/*.ts', undefined],
    ['a\0b', 'the pattern contains a NUL byte'],
    ['/etc/*', RELATIVE], ['\\server\\x', RELATIVE], ['C:/x/*', RELATIVE], ['c:\\x', RELATIVE], ['~/x', RELATIVE], ['~', RELATIVE],
    ['C:x', undefined], ['1:/x', undefined], ['src/~x', undefined],
    ['..', 'the pattern must not contain ".."'], ['../x', 'the pattern must not contain ".."'], ['a/../b', 'the pattern must not contain ".."'], ['a\\..\\b', 'the pattern must not contain ".."'],
    ['a..b/x', undefined], ['.../x', undefined], ['x/..y', undefined],
    ['a'.repeat(MAX_GLOB_CHARS), undefined], ['a'.repeat(MAX_GLOB_CHARS + 1), 'the pattern is longer than 500 characters'],
    ['{a}'.repeat(10), undefined], ['{a}'.repeat(11), 'the pattern has more than 10 brace groups'], ['}'.repeat(20), undefined],
  ];
  for (const [glob, reason] of cases) it(`${JSON.stringify(glob.slice(0, 24))}${glob.length > 24 ? '…' : ''} → ${reason ?? 'ok'}`, () => assert.equal(globRefusal(glob), reason));
});

describe('tools: bytes to text', () => {
  it('a NUL byte in the first 8 KiB is binary; one after is text (NUL is valid UTF-8)', () => {
    const early = new Uint8Array(8192).fill(0x61); early[8191] = 0;
    assert.deepEqual(decodeText(early), { ok: false, reason: 'binary file (8192 bytes, contains NUL bytes); not shown' });
    const late = new Uint8Array(8193).fill(0x61); late[8192] = 0;
    assert.deepEqual(decodeText(late), { ok: true, text: 'a'.repeat(8192) + '\0' });
  });
  it('invalid UTF-8 is refused with its size; a BOM is dropped', () => {
    assert.deepEqual(decodeText(new Uint8Array([0x61, 0xff])), { ok: false, reason: 'binary or non-UTF-8 file (2 bytes); not shown' });
    assert.deepEqual(decodeText(new Uint8Array([0xef, 0xbb, 0xbf, 0x68, 0x69])), { ok: true, text: 'hi' });
  });
  it('splits lines without terminators and without a phantom last line', () => {
    assert.deepEqual(splitLines(''), []);
    assert.deepEqual(splitLines('\n'), ['']);
    assert.deepEqual(splitLines('a\r\nb\n'), ['a', 'b']);
    assert.deepEqual(splitLines('a\n\nb'), ['a', '', 'b']);
    assert.deepEqual(splitLines('a\n\n'), ['a', '']);
    assert.deepEqual(splitLines('a\rb'), ['a\rb']);
  });
  it('numbers lines like cat -n, from a start to an end, clamped', () => {
    assert.deepEqual(numberedView('a\nb\nc\n', 2, 3), { text: '     2\tb\n     3\tc', firstLine: 2, lastLine: 3, totalLines: 3, truncated: false });
    assert.deepEqual(numberedView('a\nb\nc', 0, 1), { text: '     1\ta', firstLine: 1, lastLine: 1, totalLines: 3, truncated: false });
    assert.deepEqual(numberedView('a\nb', 1, 9), { text: '     1\ta\n     2\tb', firstLine: 1, lastLine: 2, totalLines: 2, truncated: false });
    assert.deepEqual(numberedView('a\nb', 2, -1), { text: '     2\tb', firstLine: 2, lastLine: 2, totalLines: 2, truncated: false });
    assert.deepEqual(numberedView('a\nb', 3), { text: '', firstLine: 3, lastLine: 2, totalLines: 2, truncated: false });
    assert.deepEqual(numberedView(''), { text: '', firstLine: 1, lastLine: 0, totalLines: 0, truncated: false });
  });
  it('cuts a line at exactly the character limit and says so', () => {
    assert.equal(numberedView('x'.repeat(MAX_LINE_CHARS)).text, `     1\t${'x'.repeat(MAX_LINE_CHARS)}`);
    assert.equal(numberedView('x'.repeat(MAX_LINE_CHARS + 1)).text, `     1\t${'x'.repeat(MAX_LINE_CHARS)} … [line cut at 2000 of 2001 characters]`);
  });
  it('stops at the line limit exactly', () => {
    const at = numberedView('l\n'.repeat(MAX_READ_LINES));
    assert.deepEqual([at.lastLine, at.truncated], [MAX_READ_LINES, false]);
    const over = numberedView('l\n'.repeat(MAX_READ_LINES + 1));
    assert.deepEqual([over.lastLine, over.truncated, over.totalLines], [MAX_READ_LINES, true, MAX_READ_LINES + 1]);
  });
  it('stops before the line that would cross the byte limit', () => {
    // Each rendered line is 7 + 1993 characters + the newline: 2001 bytes.
    const line = 'y'.repeat(1993);
    const fit = Math.floor(MAX_READ_BYTES / 2001);
    const view = numberedView(`${line}\n`.repeat(fit + 1));
    assert.deepEqual([view.lastLine, view.truncated], [fit, true]);
  });
  it('byte limit: the line whose newline reaches the limit exactly still fits', () => {
    // n lines of 2001 bytes, then one whose rendered bytes + 1 make the total exactly MAX_READ_BYTES.
    const n = Math.floor(MAX_READ_BYTES / 2001);
    const rest = MAX_READ_BYTES - n * 2001 - 8;
    const text = `${'y'.repeat(1993)}\n`.repeat(n) + 'r'.repeat(rest) + '\nlast';
    const view = numberedView(text);
    assert.deepEqual([view.lastLine, view.truncated], [n + 1, true]);
  });
  it('quotes a line, cut at the maximum', () => {
    assert.equal(quoteLine('say "hi"'), '"say \\"hi\\""');
    assert.equal(quoteLine('abcd', 4), '"abcd"');
    assert.equal(quoteLine('abcde', 4), '"abcd…"');
    assert.equal(quoteLine('q'.repeat(161)), JSON.stringify(`${'q'.repeat(160)}…`));
  });
});
