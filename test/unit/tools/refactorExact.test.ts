// Refactor Selection's pure parts, exact (issue 17): the whole request text, each context cut,
// every fence rule of the extraction and each boundary of the range tracker.
import * as assert from 'node:assert/strict';
import { answerText, buildRefactorRequest, DEFAULT_REFACTOR_INSTRUCTION, RangeTracker, REFACTOR_SYSTEM_PROMPT } from '../../../src/core/tools/refactor';

const input = (over: Partial<Parameters<typeof buildRefactorRequest>[0]> = {}) => ({ instruction: 'Use const', fileName: 'src/a.ts', languageId: 'typescript', selected: 'let x = 1;', before: '', after: '', ...over });
const content = (req: ReturnType<typeof buildRefactorRequest>) => req.messages[0].content as string;

describe('refactor: the request, exact', () => {
  it('the system prompt and the default instruction', () => {
    assert.equal(REFACTOR_SYSTEM_PROMPT, [
      'You rewrite a selected piece of code inside a file, following the user\'s instruction.',
      'Reply with the replacement for exactly the selected code, in one fenced code block, and nothing else: no explanation, no surrounding code.',
      'Keep the indentation of the first line and the style of the file. Do not change behaviour unless the instruction asks for it.',
    ].join('\n'));
    assert.equal(DEFAULT_REFACTOR_INSTRUCTION, 'Improve readability without changing behaviour');
  });

  it('without context: instruction, file, selection and the closing request only', () => {
    const req = buildRefactorRequest(input({ before: '  \n', after: '\t' }), 'm', 100);
    assert.deepEqual(req, {
      model: 'm', max_tokens: 100, system: REFACTOR_SYSTEM_PROMPT,
      messages: [{ role: 'user', content: 'Instruction: Use const\n\nFile: src/a.ts (typescript)\n\nSelected code to rewrite:\n```typescript\nlet x = 1;\n```\n\nAnswer with the rewritten selection in one fenced code block.' }],
    });
  });

  it('context before only, after only, and both', () => {
    assert.equal(content(buildRefactorRequest(input({ before: 'const a = 0;' }), 'm', 1)),
      'Instruction: Use const\n\nFile: src/a.ts (typescript)\n\nSelected code to rewrite:\n```typescript\nlet x = 1;\n```\n\nSurrounding code, for context only (do not repeat it):\nBefore the selection:\n```typescript\nconst a = 0;\n```\n\nAnswer with the rewritten selection in one fenced code block.');
    assert.equal(content(buildRefactorRequest(input({ after: 'end();' }), 'm', 1)),
      'Instruction: Use const\n\nFile: src/a.ts (typescript)\n\nSelected code to rewrite:\n```typescript\nlet x = 1;\n```\n\nSurrounding code, for context only (do not repeat it):\nAfter the selection:\n```typescript\nend();\n```\n\nAnswer with the rewritten selection in one fenced code block.');
    // A blank side is left out even when the other side is there.
    assert.doesNotMatch(content(buildRefactorRequest(input({ before: ' \n', after: 'A' }), 'm', 1)), /Before the selection/);
    assert.doesNotMatch(content(buildRefactorRequest(input({ before: 'B', after: '\n\t' }), 'm', 1)), /After the selection/);
    const both = content(buildRefactorRequest(input({ before: 'B', after: 'A' }), 'm', 1));
    assert.match(both, /Before the selection:\n```typescript\nB\n```\nAfter the selection:\n```typescript\nA\n```\n/);
  });

  it('keeps the last 4,000 characters before and the first 4,000 after the selection', () => {
    const before = 'b'.repeat(4000);
    const after = 'a'.repeat(4000);
    const exact = content(buildRefactorRequest(input({ before, after }), 'm', 1));
    assert.ok(exact.includes(`\n${before}\n`) && exact.includes(`\n${after}\n`));
    const long = content(buildRefactorRequest(input({ before: 'X' + before, after: after + 'Y' }), 'm', 1));
    assert.ok(long.includes(`\`\`\`typescript\n${before}\n\`\`\``), 'the start of the text before is cut');
    assert.ok(long.includes(`\`\`\`typescript\n${after}\n\`\`\``), 'the end of the text after is cut');
    assert.ok(!long.includes('X') && !long.includes('Y'));
  });
});

describe('refactor: answer text, exact', () => {
  it('joins only the text blocks', () => {
    assert.equal(answerText([{ type: 'text', text: 'a' }, { type: 'tool_use', id: 't', name: 'n', input: {} }, { type: 'text', text: 'b' }]), 'ab');
  });

});

describe('refactor: range tracker boundaries, exact', () => {
  const track = (start: number, end: number, changes: Array<[number, number, string]>) => {
    const t = new RangeTracker(start, end);
    t.apply(changes.map(([rangeOffset, rangeLength, text]) => ({ rangeOffset, rangeLength, text })));
    return [t.start, t.end, t.stale];
  };
  it('typing right at the end is after the range; right at the start is before it', () => {
    assert.deepEqual(track(10, 20, [[20, 0, 'x']]), [10, 20, false]);
    assert.deepEqual(track(10, 20, [[10, 0, 'xy']]), [12, 22, false]);
    assert.deepEqual(track(10, 20, [[8, 2, 'abc']]), [11, 21, false]);
  });
  it('an edit ending one inside or starting one before the end goes stale', () => {
    assert.deepEqual(track(10, 20, [[8, 3, '']]), [10, 17, true]);
    assert.deepEqual(track(10, 20, [[19, 1, 'xyz']]), [10, 22, true]);
  });
  it('a stale range never ends before it starts', () => {
    assert.deepEqual(track(10, 20, [[5, 30, '']]), [10, 10, true]);
  });
  it('applies the edits from the last offset back, whatever order they come in', () => {
    assert.deepEqual(track(10, 20, [[0, 0, 'a'], [2, 0, 'bb'], [1, 0, 'ccc']]), [16, 26, false]);
    assert.deepEqual(track(10, 20, [[30, 0, 'z'], [0, 1, '']]), [9, 19, false]);
    // In the order given, the insertion at 0 would first move the range past the edit at 12.
    assert.deepEqual(track(10, 20, [[0, 0, 'xxxxx'], [12, 0, 'y']]), [15, 26, true]);
  });
  it('the stale mark stays once set', () => {
    const t = new RangeTracker(10, 20);
    t.apply([{ rangeOffset: 12, rangeLength: 0, text: 'x' }]);
    t.apply([{ rangeOffset: 0, rangeLength: 0, text: 'y' }]);
    assert.equal(t.stale, true);
  });
});
