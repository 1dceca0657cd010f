// Edit computation, exact (issue 17): every refusal's whole text (the model acts on it), each
// bound of insert, the line-ending rules and the smallest change handed to the editor.
import * as assert from 'node:assert/strict';
import { computeEdit, customVocabulary, detectEol, minimalChange, textEditorVocabulary, type EditOptions, type EditRequest } from '../../../src/core/tools/edits';

const refusal = (current: string | undefined, request: EditRequest, options?: EditOptions): string => {
  const out = computeEdit(current, request, options);
  assert.equal(out.ok, false, `expected a refusal, got ${JSON.stringify(out)}`);
  return out.ok ? '' : out.message;
};
const edited = (current: string | undefined, request: EditRequest): string => {
  const out = computeEdit(current, request);
  assert.ok(out.ok, out.ok ? '' : out.message);
  return out.text;
};
const replace = (oldText: string, newText = 'NEW'): EditRequest => ({ action: 'replace', oldText, newText });
const insert = (line: number, newText: string): EditRequest => ({ action: 'insert', line, newText });

describe('tools: edit refusals, exact', () => {
  it('the two vocabularies', () => {
    assert.deepEqual(customVocabulary, { oldText: 'old_text', newText: 'new_text', replace: 'action "replace"', create: 'action "create"', insert: 'action "insert"' });
    assert.deepEqual(textEditorVocabulary, { oldText: 'old_str', newText: 'new_str', replace: 'the str_replace command', create: 'the create command', insert: 'the insert command' });
  });

  it('create over a file, edit of a missing file, each in both vocabularies', () => {
    assert.equal(refusal('', { action: 'create', newText: 'x' }), 'The file already exists. Use action "replace" to change it.');
    assert.equal(refusal('x', { action: 'create', newText: 'x' }, { vocabulary: textEditorVocabulary }), 'The file already exists. Use the str_replace command to change it.');
    assert.equal(refusal(undefined, insert(0, 'x')), 'The file does not exist. Use action "create" to make a new file.');
    assert.equal(refusal(undefined, replace('a'), { vocabulary: textEditorVocabulary }), 'The file does not exist. Use the create command to make a new file.');
  });

  it('an empty old text and an identical replacement', () => {
    assert.equal(refusal('a', replace('')), 'old_text is empty; give the exact text to replace (use action "insert" to add text).');
    assert.equal(refusal('a', replace('', 'x'), { vocabulary: textEditorVocabulary }), 'old_str is empty; give the exact text to replace (use the insert command to add text).');
    assert.equal(refusal('a', replace('a', 'a')), 'old_text and new_text are identical; nothing would change.');
    assert.equal(refusal('a', replace('a', 'a'), { vocabulary: textEditorVocabulary }), 'old_str and new_str are identical; nothing would change.');
  });

  it('several matches: their lines, the first ten only', () => {
    assert.equal(refusal('x\nx\ny\nx', replace('x')), 'old_text occurs 3 times, at lines 1, 2, 4; include more surrounding lines so it matches exactly once.');
    const ten = Array.from({ length: 10 }, () => 'x').join('\n');
    assert.equal(refusal(ten, replace('x')), 'old_text occurs 10 times, at lines 1, 2, 3, 4, 5, 6, 7, 8, 9, 10; include more surrounding lines so it matches exactly once.');
    assert.equal(refusal(`${ten}\nx`, replace('x')), 'old_text occurs 11 times, at lines 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, …; include more surrounding lines so it matches exactly once.');
    // Overlapping matches count too; a match right after a line break is on the next line.
    assert.equal(refusal('aaa', replace('aa')), 'old_text occurs 2 times, at lines 1, 1; include more surrounding lines so it matches exactly once.');
    assert.equal(refusal('q\nab\nab', replace('ab')), 'old_text occurs 2 times, at lines 2, 3; include more surrounding lines so it matches exactly once.');
    // A match that starts with the line break is on the line that break ends.
    assert.equal(refusal('a\nb\na\nb', replace('\nb')), 'old_text occurs 2 times, at lines 1, 3; include more surrounding lines so it matches exactly once.');
  });

  it('not found, quiet (a secret or a read that would ask): no quote at all', () => {
    assert.equal(refusal('API_KEY=abc\n', replace('API_KEY=abd'), { quiet: true }), 'old_text was not found in the file. Read the file again and copy the exact text.');
    assert.equal(refusal('API_KEY=abc\n', replace('API_KEY=abd'), { quiet: false }), 'old_text was not found in the file. The closest line to its first line is line 1: "API_KEY=abc". Read the file again and copy the exact text.');
  });

  it('not found: whitespace only', () => {
    assert.equal(refusal('a\nb\n', replace(' \n\t')), 'old_text was not found in the file. It contains only whitespace; include the code around the change.');
  });

  it('not found: the same text with other whitespace, at its first line', () => {
    const text = 'if (a) {\n  go();\n}\nif (a) {\n    go( );\n}\n';
    assert.equal(refusal(text, replace('if (a) {\n    go();')), 'old_text was not found in the file. It matches at line 1 only if whitespace is ignored: copy the exact indentation and line breaks from the file (read_file shows it), e.g. line 1 is "if (a) {".');
    assert.equal(refusal(text, replace('\n\n  if  (a) {\n go( );\n}')), 'old_text was not found in the file. It matches at line 4 only if whitespace is ignored: copy the exact indentation and line breaks from the file (read_file shows it), e.g. line 4 is "if (a) {".');
    // The first line alone matching is not enough; every later line must match too.
    assert.match(refusal('x();\ny();\n', replace('x(); \nz();')), /closest line to its first line is line 1/);
    // Nor may the later lines run past the end of the file.
    assert.match(refusal('a();\nb();', replace('b();\nc();\n')), /closest line to its first line is line 2: "b\(\);"/);
  });

  it('not found: the closest line, at a similarity of one half or more', () => {
    assert.equal(refusal('alpha\nbeta\ngamma\n', replace('betz')), 'old_text was not found in the file. The closest line to its first line is line 2: "beta". Read the file again and copy the exact text.');
    // The first line wins a tie; a later, better line wins over it.
    assert.match(refusal('abcd\nabcd\n', replace('abce')), /closest line to its first line is line 1:/);
    assert.match(refusal('abxx\nabcx\n', replace('abcd')), /closest line to its first line is line 2:/);
    // "abcd" vs "abxy": 1 shared bigram of 3+3 → 1/3, under the bar.
    assert.equal(refusal('abxy\n', replace('abcd')), 'old_text was not found in the file. No line resembles its first line "abcd"; the file may have changed: read it again.');
    // "abcd" vs "abcx": 2 shared of 3+3 → 2/3; "abcd" vs "abyx" → 1/3.
    assert.match(refusal('abyx\nabcx\n', replace('abcd')), /line 2: "abcx"/);
  });

  it('similarity: a repeated bigram counts once per occurrence; one-character lines never resemble', () => {
    // "aaaa" has the bigram "aa" three times; "aab" shares only one of them → 2*1/(4+3-2) = 0.4.
    assert.match(refusal('aab\n', replace('aaaa')), /No line resembles/);
    // "aaa" vs "aab": shares "aa" once → 2*1/(3+3-2) = 0.5.
    assert.match(refusal('aab\n', replace('aaa')), /closest line .* line 1: "aab"/);
    assert.match(refusal('a\nb\n', replace('c')), /No line resembles its first line "c"/);
    assert.match(refusal('c\n', replace('c ')), /It matches at line 1 only if whitespace is ignored/);
    assert.match(refusal('x\n', replace('xy')), /No line resembles/);
    // A one-character first line that is in the file, followed by one that is not: line 1 is closest.
    assert.match(refusal('c\n', replace('c\nd')), /closest line to its first line is line 1: "c"/);
    // Two characters are enough: "ab" vs "abzz" share 1 of 1+3 bigrams → exactly 1/2, either way round.
    assert.match(refusal('abzz\n', replace('ab\nq')), /closest line to its first line is line 1: "abzz"/);
    assert.match(refusal('ab\n', replace('abzz')), /closest line to its first line is line 1: "ab"/);
    // Repeated bigrams: "aaa" holds "aa" twice, "aaaa" three times → 2*2/(3+4-2) = 0.8.
    assert.match(refusal('aaa\n', replace('aaaa')), /closest line to its first line is line 1: "aaa"/);
    // Whitespace is squashed before comparing: "a  b" is compared as "a b".
    assert.match(refusal('a b c\n', replace('a  b  x')), /closest line .* line 1:/);
    // An empty file: nothing resembles.
    assert.match(refusal('', replace('abc')), /No line resembles its first line "abc"/);
  });
});

describe('tools: edits applied, exact', () => {
  it('insert: each line from 0 to the count, and the bounds either side', () => {
    assert.equal(edited('a\nb\n', insert(0, 'X')), 'X\na\nb\n');
    assert.equal(edited('a\nb\n', insert(1, 'X')), 'a\nX\nb\n');
    assert.equal(edited('a\nb\n', insert(2, 'X')), 'a\nb\nX\n');
    assert.equal(refusal('a\nb\n', insert(3, 'X')), 'line must be between 0 (top of the file) and 2 (after the last line); got 3.');
    assert.equal(refusal('a\nb\n', insert(-1, 'X')), 'line must be between 0 (top of the file) and 2 (after the last line); got -1.');
  });

  it('insert: into an empty file, after a last line without a break, text that ends in a break', () => {
    assert.equal(edited('', insert(0, 'X')), 'X');
    assert.equal(edited('', insert(0, 'X\n')), 'X\n');
    assert.equal(edited('a', insert(1, 'X')), 'a\nX');
    assert.equal(edited('a', insert(0, 'X')), 'X\na');
    assert.equal(edited('a\n', insert(1, 'X\n')), 'a\nX\n');
    assert.equal(edited('a\nb', insert(1, 'X\n')), 'a\nX\nb');
  });

  it('insert: CRLF files get CRLF, also inside the inserted text', () => {
    assert.equal(edited('a\r\nb\r\n', insert(1, 'X\nY')), 'a\r\nX\r\nY\r\nb\r\n');
    assert.equal(edited('a\r\nb', insert(2, 'X')), 'a\r\nb\r\nX');
    assert.equal(edited('a\r\nb\r\n', insert(2, 'X\r\n')), 'a\r\nb\r\nX\r\n');
  });

  it('replace: LF text in a CRLF file matches and is written as CRLF; a single-line match keeps the model\'s text', () => {
    assert.equal(edited('a\r\nb\r\nc\r\n', replace('a\nb', 'x\ny')), 'x\r\ny\r\nc\r\n');
    assert.equal(edited('a\r\nb\r\n', replace('b', 'x\ny')), 'a\r\nx\ny\r\n');
    assert.equal(edited('a\r\nb\r\n', replace('a\r\nb', 'x\ny')), 'x\ny\r\n');
    // In an LF file an LF text that is missing stays missing (no CRLF retry).
    assert.match(refusal('a\nb\r\nc\n', replace('b\nc')), /not found/);
    // A mixed file: an LF match is used as it is, never retried as CRLF.
    assert.equal(edited('a\r\nb\nc\r\n', replace('b\nc', 'X')), 'a\r\nX\r\n');
  });

  it('detects CRLF by the first line break only', () => {
    assert.equal(detectEol('a\r\nb\nc'), '\r\n');
    assert.equal(detectEol('a\nb\r\nc'), '\n');
    assert.equal(detectEol('a\rb\r\n'), '\r\n');
    assert.equal(detectEol('a\r b\n'), '\n');
    assert.equal(detectEol('abc'), '\n');
    assert.equal(detectEol('\r\n'), '\r\n');
    // No CRLF at all: a line break at the very start is still LF.
    assert.equal(detectEol('\nabc'), '\n');
  });
});

describe('tools: minimal change, exact', () => {
  const cases: Array<[string, string, { start: number; end: number; text: string }]> = [
    ['abc', 'abc', { start: 3, end: 3, text: '' }],
    ['abc', 'abXc', { start: 2, end: 2, text: 'X' }],
    ['abc', 'ac', { start: 1, end: 2, text: '' }],
    ['aaa', 'aaaa', { start: 3, end: 3, text: 'a' }],
    ['', 'x', { start: 0, end: 0, text: 'x' }],
    ['x', '', { start: 0, end: 1, text: '' }],
    ['ab', 'xb', { start: 0, end: 1, text: 'x' }],
    // A change right after a \r moves back before it; one right before a \n after a \r moves past it.
    ['a\r\nb', 'a\r\r\nb', { start: 1, end: 3, text: '\r\r\n' }],
    ['a\r\nb', 'a\nb', { start: 1, end: 3, text: '\n' }],
    ['a\rb', 'a\rc', { start: 2, end: 3, text: 'c' }],
    ['a\r\n', 'a\r\nb\r\n', { start: 3, end: 3, text: 'b\r\n' }],
    ['x\r\ny', 'x\r\n\r\ny', { start: 3, end: 3, text: '\r\n' }],
    ['aaaa', 'aaa', { start: 3, end: 4, text: '' }],
    ['a\rb', 'a\r\nb', { start: 1, end: 2, text: '\r\n' }],
    ['a\rb', 'ab', { start: 1, end: 2, text: '' }],
    ['ab\n', 'a\n', { start: 1, end: 2, text: '' }],
    ['a\r\nb', 'a\r\nc', { start: 3, end: 4, text: 'c' }],
  ];
  for (const [current, next, expected] of cases) {
    it(`${JSON.stringify(current)} → ${JSON.stringify(next)}`, () => assert.deepEqual(minimalChange(current, next), expected));
  }
});
