// Refactor Selection's pure parts: the request, extracting the code, tracking the selection.
import * as assert from 'node:assert/strict';
import { buildRefactorRequest, extractReplacement, RangeTracker } from '../../../src/core/tools/refactor';

describe('refactor: request', () => {
  it('sends the instruction, the selection and some context, asking for one fenced block', () => {
    const req = buildRefactorRequest({ instruction: 'Use const', fileName: 'src/a.ts', languageId: 'typescript', selected: 'let x = 1;', before: 'x'.repeat(10000), after: '// end' }, 'claude-sonnet-4-6', 4096);
    assert.equal(req.model, 'claude-sonnet-4-6');
    assert.equal(req.stream, undefined);
    const text = String(req.messages[0].content);
    assert.match(text, /^Instruction: Use const/);
    assert.match(text, /```typescript\nlet x = 1;\n```/);
    assert.ok(text.length < 10000, 'context is cut');
    assert.match(String(req.system), /one fenced code block/);
  });
});

describe('refactor: extracting the replacement', () => {
  const cases: Array<[string, string, string, string | undefined]> = [
    ['a plain fenced block', 'Here:\n```ts\nconst x = 1;\n```\nDone.', 'let x = 1;', 'const x = 1;'],
    ['keeps the selection\'s final newline', '```ts\nconst x = 1;\n```', 'let x = 1;\n', 'const x = 1;\n'],
    ['keeps CRLF of the selection', '```\na\r\nb\n```', 'x\r\ny\r\n', 'a\r\nb\r\n'],
    ['tildes and longer fences', '~~~~python\ndef f():\n    return 1\n~~~~', 'def f(): return 1', 'def f():\n    return 1'],
    ['a block containing backticks', '````md\n```js\nx\n```\n````', 'y', '```js\nx\n```'],
    ['the longest of several blocks', '```\nshort\n```\ntext\n```\nthe longer one\n```', 'z', 'the longer one'],
    ['an answer without fences is taken whole', '\nconst x = 1;\n', 'let x = 1;', 'const x = 1;'],
    ['an unterminated fence is refused', '```ts\nconst x', 'let x', undefined],
    ['an empty answer is refused', '   ', 'let x', undefined],
    ['keeps indentation', '```\n    indented();\n```', '  old();', '    indented();'],
    // Exact fence rules (issue 17).
    ['an indented fence', '  ```ts\n  code();\n  ```', 'x', '  code();'],
    ['a fence closed with trailing blanks', '```\ncode();\n```  \nafter', 'x', 'code();'],
    ['a longer closing fence', '```\ncode();\n`````', 'x', 'code();'],
    ['an empty block when the selection is not blank', '```\n\n```', 'x', undefined],
    ['an empty block for a blank selection', '```\n\n```', '  ', ''],
    ['an unfenced answer keeps inner blank lines and drops the trailing ones', '\n\na\n\nb \n\n', 'x', 'a\n\nb'],
    ['an unfenced answer with leading spaces keeps them', '  a', 'x', '  a'],
    ['an indented opening fence without a close', '  ~~~\ncode', 'x', undefined],
    ['a lone fence after text', 'text\n```', 'x', undefined],
    ['the first of two equally long blocks', '```\naa\n```\n```\nbb\n```', 'x', 'aa'],
    ['a later, longer block', '```\na\n```\n```\nbbb\n```', 'x', 'bbb'],
    ['the code\'s own final newline follows the selection: none', '```\ncode\n\n```', 'x', 'code'],
    ['LF selection end, the code\'s own newline dropped first', '```\ncode\n\n```', 'x\n', 'code\n'],
    ['a CRLF code end is dropped for an unterminated selection', 'code\r\n', 'x', 'code'],
    ['a selection with a newline in the middle only', '```\ncode\n```', 'x\ny', 'code'],
    ['a fence that does not start its line is no fence', 'see ```\ncode\n```', 'x', undefined],
    ['a closing fence followed by text does not close', '```\ncode\n``` trailing', 'x', undefined],
    ['single tildes are no fence', '~\ncode\n~', 'x', '~\ncode\n~'],
    ['single backticks are no fence', '`code`', 'x', '`code`'],
    ['inline triple backticks are no fence', 'use ```x``` here', 'y', 'use ```x``` here'],
    ['an empty block right after the opening line', '```\n```', '  ', ''],
    ['a blank answer for a blank selection', '   ', '', undefined],
    ['a whitespace-only block when the selection is not blank', '```\n  \n```', 'x', undefined],
  ];
  for (const [name, answer, selected, expected] of cases) {
    it(name, () => assert.equal(extractReplacement(answer, selected), expected));
  }
});

describe('refactor: tracking the selection', () => {
  it('moves with edits before it and ignores edits after it', () => {
    const t = new RangeTracker(10, 20);
    t.apply([{ rangeOffset: 0, rangeLength: 0, text: 'abc' }]);
    assert.deepEqual([t.start, t.end, t.stale], [13, 23, false]);
    t.apply([{ rangeOffset: 23, rangeLength: 0, text: 'after' }, { rangeOffset: 30, rangeLength: 5, text: '' }]);
    assert.deepEqual([t.start, t.end, t.stale], [13, 23, false]);
    t.apply([{ rangeOffset: 5, rangeLength: 8, text: '' }]);
    assert.deepEqual([t.start, t.end, t.stale], [5, 15, false]);
  });

  it('handles several edits of one event by their original offsets', () => {
    const t = new RangeTracker(10, 20);
    t.apply([{ rangeOffset: 2, rangeLength: 0, text: 'xx' }, { rangeOffset: 25, rangeLength: 0, text: 'yy' }, { rangeOffset: 5, rangeLength: 1, text: '' }]);
    assert.deepEqual([t.start, t.end, t.stale], [11, 21, false]);
  });

  it('goes stale when an edit touches the selection', () => {
    for (const change of [{ rangeOffset: 15, rangeLength: 0, text: 'x' }, { rangeOffset: 8, rangeLength: 4, text: '' }, { rangeOffset: 19, rangeLength: 3, text: 'q' }]) {
      const t = new RangeTracker(10, 20);
      t.apply([change]);
      assert.equal(t.stale, true, JSON.stringify(change));
    }
  });
});
