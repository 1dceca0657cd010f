// REPLACE/WITH suggestions, rule by rule with exact results: each marker spelling the parser
// accepts and the near-misses it refuses, fences (tilde, longer, indented, unclosed, info strings),
// where the scan resumes after a block, and how a snippet is located (exactly, then line by line),
// applied, rejected, sorted and deleted with its line break.
import * as assert from 'node:assert/strict';
import { extractSuggestions, planSuggestions, type Suggestion } from '../../../src/core/batch/suggestions';

const block = (replaceMarker: string, withMarker = 'WITH:') => [replaceMarker, '```', 'old', '```', withMarker, '```', 'new', '```'].join('\n');
const pairs = (answer: string) => extractSuggestions(answer).map((s) => [s.original, s.replacement, s.answerLine]);
const s = (original: string, replacement: string, answerLine = 1): Suggestion => ({ original, replacement, answerLine });

describe('batch suggestions, exact', () => {
  it('accepts each marker spelling: any case, bold or underscored, colon optional, spaces around', () => {
    for (const marker of ['REPLACE:', 'replace:', 'Replace', '**REPLACE:**', '**REPLACE**:', '__REPLACE__', '  REPLACE:  ', '\tREPLACE:']) {
      assert.deepEqual(pairs(block(marker)), [['old', 'new', 1]], marker);
    }
    for (const marker of ['with:', '**WITH:**', '__WITH__:', '  WITH  ']) assert.deepEqual(pairs(block('REPLACE:', marker)), [['old', 'new', 1]], marker);
  });

  it('refuses markers with anything else on the line', () => {
    for (const marker of ['REPLACE: this', 'xREPLACE:', 'REPLACED:', 'REPLACE::x', '*REPLACE:', '**REPLACE:**x', 'REPLACE:;']) assert.deepEqual(pairs(block(marker)), [], marker);
    for (const marker of ['WITH: that', 'and WITH:', 'WITHOUT:']) assert.deepEqual(pairs(block('REPLACE:', marker)), [], marker);
  });

  it('reads tilde, longer, indented and tagged fences, with blank lines before them', () => {
    assert.deepEqual(pairs('REPLACE:\n\n\n~~~\na\n~~~\n\n\nWITH:\n\n~~~~ py title="x"\nb\n~~~~'), [['a', 'b', 1]]);
    assert.deepEqual(pairs('REPLACE:\n  ```ts\n  a\n  ```\nWITH:\n```\nb\n`````'), [['  a', 'b', 1]], 'a longer closing fence closes');
    assert.deepEqual(pairs('REPLACE:\n```\na\n```   \nWITH:\n```\nb\n```'), [['a', 'b', 1]], 'trailing spaces after a closing fence');
    assert.deepEqual(pairs('REPLACE:\n````\na\n```\n````\nWITH:\n```\nb\n```'), [['a\n```', 'b', 1]], 'a shorter fence is content');
    assert.deepEqual(pairs('REPLACE:\n~~~\na\n```\n~~~\nWITH:\n```\nb\n```'), [['a\n```', 'b', 1]], 'the other fence character is content');
    assert.deepEqual(pairs('REPLACE:\n```\na\n``` x\n```\nWITH:\n```\nb\n```'), [['a\n``` x', 'b', 1]], 'a fence line with text does not close');
    assert.deepEqual(pairs('REPLACE:\n```\n\n```\nWITH:\n```\nb\n```'), [], 'an empty original is no suggestion');
  });

  it('refuses what is not a fence, and blocks cut off at any point', () => {
    assert.deepEqual(pairs('REPLACE:\n``\na\n``\nWITH:\n```\nb\n```'), [], 'two backticks');
    assert.deepEqual(pairs('REPLACE:\n``` a`b\na\n```\nWITH:\n```\nb\n```'), [], 'a backtick in the info string');
    assert.deepEqual(pairs('REPLACE:\ntext\n```\na\n```\nWITH:\n```\nb\n```'), [], 'text before the fence');
    assert.deepEqual(pairs('REPLACE:\nsee ```\na\n```\nWITH:\n```\nb\n```'), [], 'text before the fence on its line');
    assert.deepEqual(pairs('REPLACE:'), []);
    assert.deepEqual(pairs('REPLACE:\n\n  '), []);
    assert.deepEqual(pairs('REPLACE:\n```\na'), []);
    assert.deepEqual(pairs('REPLACE:\n```\na\n```'), []);
    assert.deepEqual(pairs('REPLACE:\n```\na\n```\n\n'), []);
    assert.deepEqual(pairs('REPLACE:\n```\na\n```\nWITH:'), []);
    assert.deepEqual(pairs('REPLACE:\n```\na\n```\nWITH:\n\n'), []);
    assert.deepEqual(pairs('REPLACE:\n```\na\n```\nnot yet\nWITH:\n```\nb\n```'), [], 'text between the original and WITH:');
  });

  it('resumes after each block: adjacent blocks both count, a block inside a replacement does not', () => {
    assert.deepEqual(pairs(`${block('REPLACE:')}\n${block('REPLACE:')}`), [['old', 'new', 1], ['old', 'new', 9]]);
    const nested = ['REPLACE:', '```', 'a', '```', 'WITH:', '````', 'REPLACE:', '```', 'x', '```', 'WITH:', '```', 'y', '```', '````'].join('\n');
    assert.deepEqual(pairs(nested), [['a', 'REPLACE:\n```\nx\n```\nWITH:\n```\ny\n```', 1]]);
    assert.deepEqual(pairs(`intro\r\n\r\n${block('REPLACE:').replace(/\n/g, '\r\n')}`), [['old', 'new', 3]], 'CRLF answers, 1-based line');
    assert.deepEqual(pairs('REPLACE:\n```\n```\nWITH:\n```\n```\nREPLACE:\n```\nc\n```\nWITH:\n```\n```'), [['c', '', 7]], 'an empty original still moves the scan on');
  });

  it('locates a snippet exactly first, then line by line ignoring trailing white space and blank edges', () => {
    assert.deepEqual(planSuggestions('ab', [s('a', 'X'), s('b', 'Y')]), {
      edits: [{ start: 0, end: 1, original: 'a', replacement: 'X' }, { start: 1, end: 2, original: 'b', replacement: 'Y' }],
      rejected: [], proposedText: 'XY',
    }, 'touching edits do not overlap');
    const text = 'one\ntwo  \nthree\n';
    assert.deepEqual(planSuggestions(text, [s('\n\ntwo\nthree  \n\n', 'TWO\nTHREE')]), {
      edits: [{ start: 4, end: 15, original: 'two  \nthree', replacement: 'TWO\nTHREE' }], rejected: [], proposedText: 'one\nTWO\nTHREE\n',
    });
    assert.equal(planSuggestions('a\nlast  ', [s('last', 'z')]).proposedText, 'a\nz  ', 'exact match keeps what follows');
    assert.deepEqual(planSuggestions('a\nlast  ', [s('a \nlast', 'z')]).edits, [{ start: 0, end: 8, original: 'a\nlast  ', replacement: 'z' }], 'the last line, without a line break');
    assert.deepEqual(planSuggestions('a\r\nb  \r\nc', [s('b', 'B'), s('a\nb', 'x')]).edits.map((e) => [e.start, e.end]), [[3, 4]]);
    assert.deepEqual(planSuggestions('a\r\nb  \r\nc', [s('a\nb', 'x\ny')]), {
      edits: [{ start: 0, end: 6, original: 'a\r\nb  ', replacement: 'x\r\ny' }], rejected: [], proposedText: 'x\r\ny\r\nc',
    });
  });

  it('rejects with the exact reasons: missing, blank, ambiguous (exactly or line by line), overlapping', () => {
    const plan = planSuggestions('k = 1\nk = 1  \nm\nm\n', [s('q', ''), s(' \n\n ', ''), s('m', 'n'), s('k = 1', 'x', 4), s('k = 1 \n', 'y', 5)]);
    assert.deepEqual(plan.rejected.map((r) => [r.suggestion.original, r.reason]), [
      ['q', 'the original snippet is not in the file (it may have changed)'],
      [' \n\n ', 'the original snippet is not in the file (it may have changed)'],
      ['m', 'the original snippet occurs more than once in the file'],
      ['k = 1', 'the original snippet occurs more than once in the file'],
      ['k = 1 \n', 'the original snippet occurs more than once in the file'],
    ]);
    assert.equal(plan.proposedText, 'k = 1\nk = 1  \nm\nm\n');
    const overlap = planSuggestions('abc', [s('ab', 'X'), s('bc', 'Y')]);
    assert.deepEqual(overlap.rejected.map((r) => r.reason), ['it overlaps an earlier suggestion']);
    assert.equal(overlap.proposedText, 'Xc');
  });

  it('applies edits in file order whatever the answer order, and deletes whole lines with their break', () => {
    assert.equal(planSuggestions('1\n2\n3\n', [s('3', 'c'), s('1', 'a')]).proposedText, 'a\n2\nc\n');
    assert.deepEqual(planSuggestions('1\n2\n3\n', [s('3', 'c'), s('1', 'a')]).edits.map((e) => e.start), [0, 4]);
    assert.equal(planSuggestions('1\r\n2\r\n3', [s('2', '')]).proposedText, '1\r\n3');
    assert.equal(planSuggestions('1\n2\n3', [s('3', '')]).proposedText, '1\n2\n', 'nothing follows the last line');
    assert.equal(planSuggestions('1\n2\n3\n', [s('2', '\n')]).proposedText, '1\n\n\n3\n', 'an empty line is not a deletion');
    assert.equal(planSuggestions('12\n', [s('1', '')]).proposedText, '2\n', 'no break right after: nothing more removed');
  });
});
