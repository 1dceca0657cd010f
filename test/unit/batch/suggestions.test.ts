import * as assert from 'node:assert/strict';
import { extractSuggestions, planSuggestions } from '../../../src/core/batch/suggestions';

const FILE = [
  'export function total(items) {',
  '  let sum = 0;',
  '  for (let i = 0; i <= items.length; i++) sum += items[i];',
  '  return sum;',
  '}',
  '',
  'export const unused = 1;',
  '',
].join('\n');

const ANSWER = [
  '1. **Off-by-one**: the loop reads past the end.',
  '',
  'REPLACE:',
  '```js',
  '  for (let i = 0; i <= items.length; i++) sum += items[i];',
  '```',
  'WITH:',
  '```js',
  '  for (const item of items) sum += item;',
  '```',
  '',
  '2. Remove the unused export.',
  '**REPLACE:**',
  '',
  '```',
  'export const unused = 1;',
  '```',
  '',
  '**WITH:**',
  '```',
  '```',
].join('\n');

describe('review suggestions', () => {
  it('extracts REPLACE/WITH pairs, tolerating bold markers, blank lines and empty replacements', () => {
    const found = extractSuggestions(ANSWER);
    assert.equal(found.length, 2);
    assert.equal(found[0].original, '  for (let i = 0; i <= items.length; i++) sum += items[i];');
    assert.equal(found[0].replacement, '  for (const item of items) sum += item;');
    assert.equal(found[0].answerLine, 3);
    assert.deepEqual([found[1].original, found[1].replacement], ['export const unused = 1;', '']);
  });

  it('handles longer fences around code that contains a fence, and CRLF answers', () => {
    const answer = ['REPLACE:', '````md', '```js', 'old()', '```', '````', 'WITH:', '````md', '```js', 'fresh()', '```', '````'].join('\r\n');
    const [s] = extractSuggestions(answer);
    assert.equal(s.original, '```js\nold()\n```');
    assert.equal(s.replacement, '```js\nfresh()\n```');
  });

  it('ignores incomplete blocks (no WITH, unclosed fence from a cut-off answer)', () => {
    assert.deepEqual(extractSuggestions('REPLACE:\n```\na\n```\nand then nothing'), []);
    assert.deepEqual(extractSuggestions('REPLACE:\n```\na\n```\nWITH:\n```\nb'), []);
    assert.deepEqual(extractSuggestions('We should REPLACE: this\n```\na\n```\nWITH:\n```\nb\n```'), []);
  });

  it('applies the suggestions to the file text, deleting whole lines cleanly', () => {
    const plan = planSuggestions(FILE, extractSuggestions(ANSWER));
    assert.deepEqual(plan.rejected, []);
    assert.equal(plan.edits.length, 2);
    assert.equal(plan.proposedText, [
      'export function total(items) {', '  let sum = 0;', '  for (const item of items) sum += item;', '  return sum;', '}', '', '',
    ].join('\n'));
  });

  it('matches despite CRLF in the file and trailing spaces, and keeps the file\'s line endings', () => {
    const crlf = 'a();   \r\nb();\r\nc();\r\n';
    const plan = planSuggestions(crlf, [{ original: 'a();\nb();', replacement: 'x();\ny();', answerLine: 1 }]);
    assert.deepEqual(plan.rejected, []);
    assert.equal(plan.proposedText, 'x();\r\ny();\r\nc();\r\n');
  });

  it('rejects missing, ambiguous and overlapping snippets with a reason instead of guessing', () => {
    const text = 'x = 1\ny = 2\nx = 1\nz = 3\n';
    const plan = planSuggestions(text, [
      { original: 'w = 0', replacement: '', answerLine: 1 },
      { original: 'x = 1', replacement: 'x = 9', answerLine: 2 },
      { original: 'y = 2\nx = 1', replacement: 'y = 3', answerLine: 3 },
      { original: 'x = 1\nz = 3', replacement: 'q', answerLine: 4 },
    ]);
    assert.deepEqual(plan.rejected.map((r) => [r.suggestion.answerLine, r.reason.split(' (')[0]]), [
      [1, 'the original snippet is not in the file'],
      [2, 'the original snippet occurs more than once in the file'],
      [4, 'it overlaps an earlier suggestion'],
    ]);
    assert.equal(plan.proposedText, 'x = 1\ny = 3\nz = 3\n');
  });
});
