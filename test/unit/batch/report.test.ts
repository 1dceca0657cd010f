import * as assert from 'node:assert/strict';
import { demoteHeadings, renderReport, summarize, type ReportInput } from '../../../src/core/batch/report';
import { parseResultLines } from '../../../src/core/batch/results';

const entry = (customId: string, path: string) => ({ customId, path, location: `file:///ws/${path}`, language: 'typescript', bytes: 10 });
const ok = (id: string, text: string, stop = 'end_turn') => JSON.stringify({ custom_id: id, result: { type: 'succeeded', message: { content: [{ type: 'text', text }], stop_reason: stop } } });

function input(overrides: Partial<ReportInput> = {}): ReportInput {
  const lines = [
    ok('a', '# Overview\nThe file adds numbers.\n```md\n# not a heading\n```'),
    JSON.stringify({ custom_id: 'b', result: { type: 'errored', error: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } } } }),
    JSON.stringify({ custom_id: 'c', result: { type: 'canceled' } }),
    JSON.stringify({ custom_id: 'd', result: { type: 'expired' } }),
    ok('e', 'Long answer', 'max_tokens'),
    ok('zz', 'stray'),
    'garbage',
  ].join('\n');
  return {
    batchId: 'msgbatch_42', task: 'explain', model: 'claude-sonnet-4-6', createdAt: Date.UTC(2026, 10, 22, 0, 0, 0), endedAt: Date.UTC(2026, 10, 22, 0, 5, 0),
    entries: [entry('a', 'src/a.ts'), entry('b', 'src/b.ts'), entry('c', 'src/c.ts'), entry('d', 'src/d.ts'), entry('e', 'src/e.ts'), entry('f', 'src/f.ts')],
    skipped: [{ path: 'logo.png', location: 'file:///ws/logo.png', reason: 'binary file' }],
    results: parseResultLines(lines),
    ...overrides,
  };
}

describe('batch report', () => {
  it('has a header with task, model, batch id, times and counts', () => {
    const md = renderReport(input());
    assert.ok(md.startsWith('# Batch report: Explain (6 files)\n'), md);
    assert.match(md, /\| Model \| `claude-sonnet-4-6` \|/);
    assert.match(md, /\| Batch \| `msgbatch_42` \|/);
    assert.match(md, /\| Created \| 2026-11-22 00:00:00 UTC \|/);
    assert.match(md, /\| Results \| 2 succeeded, 1 errored, 1 canceled, 1 expired, 1 missing \|/);
  });

  it('has one section per answered file, with the answer nested under it', () => {
    const md = renderReport(input());
    const sections = [...md.matchAll(/^## (.*)$/gm)].map((m) => m[1]);
    assert.deepEqual(sections, ['`src/a.ts`', '`src/e.ts`', 'Requests without an answer', 'Skipped files', 'Unreadable result lines']);
    assert.match(md, /^### Overview$/m);
    assert.match(md, /^# not a heading$/m, 'headings inside code fences are left alone');
    assert.match(md, /Long answer\n\n> The answer was cut off at the max_tokens limit\./);
  });

  it('lists errored, canceled, expired and missing requests with reasons, and the skipped files', () => {
    const md = renderReport(input());
    assert.match(md, /- `src\/b\.ts` — \*\*errored\*\*: overloaded_error: Overloaded/);
    assert.match(md, /- `src\/c\.ts` — \*\*canceled\*\*: the batch was canceled/);
    assert.match(md, /- `src\/d\.ts` — \*\*expired\*\*: the batch expired/);
    assert.match(md, /- `src\/f\.ts` — \*\*missing\*\*: no result line for request `f`/);
    assert.match(md, /unknown request `zz`/);
    assert.match(md, /- `logo\.png` — binary file/);
    assert.match(md, /- line 7: not valid JSON — `garbage`/);
  });

  it('points review reports with suggestions at the apply command, and quotes a custom prompt', () => {
    const results = parseResultLines(ok('a', 'Bug.\nREPLACE:\n```\nold\n```\nWITH:\n```\nnew\n```'));
    const review = input({ task: 'review', entries: [entry('a', 'src/a.ts')], skipped: [], results });
    assert.equal(summarize(review).filesWithSuggestions, 1);
    assert.match(renderReport(review), /1 file has suggested changes/);
    const custom = renderReport(input({ task: 'custom', customPrompt: 'Find TODOs\nand list them', entries: [entry('a', 'src/a.ts')], results, skipped: [] }));
    assert.match(custom, /^# Batch report: Custom prompt \(1 file\)/);
    assert.match(custom, /^> Find TODOs\n> and list them$/m);
    assert.doesNotMatch(custom, /suggested changes/, 'only edit-proposing tasks advertise suggestions');
  });

  it('demotes headings outside fences only', () => {
    assert.equal(demoteHeadings('# A\n~~~\n# B\n~~~\n## C'), '### A\n~~~\n# B\n~~~\n#### C');
  });
});
