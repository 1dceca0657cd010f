// The batch report, asserted as whole text: every header row (and when it is left out), the
// escaping of table cells, the per-file sections, the reasons of every request without an answer,
// the skipped files and unreadable lines, the suggestion hint's wording for one and several files,
// the quoted custom prompt, and the heading demotion rule by rule.
import * as assert from 'node:assert/strict';
import { demoteHeadings, outcomesById, renderReport, summarize, type ReportInput } from '../../../src/core/batch/report';
import { parseResultLines } from '../../../src/core/batch/results';

const entry = (customId: string, path: string) => ({ customId, path, location: `file:///ws/${path}`, language: 'typescript', bytes: 10 });
const ok = (id: string, text: string, stop = 'end_turn') => JSON.stringify({ custom_id: id, result: { type: 'succeeded', message: { content: [{ type: 'text', text }], stop_reason: stop } } });
const SUGGESTION = 'Fix.\nREPLACE:\n```\nold\n```\nWITH:\n```\nnew\n```';
const SUGGESTION_MD = 'Fix.\nREPLACE:\n```\nold\n```\nWITH:\n```\nnew\n```';
const base = { batchId: 'b1', model: 'm', createdAt: 0, skipped: [] };
const header = (title: string, task: string, results: string) =>
  `# Batch report: ${title}\n\n| | |\n| --- | --- |\n| Task | ${task} |\n| Model | \`m\` |\n| Batch | \`b1\` |\n| Created | 1970-01-01 00:00:00 UTC |\n| Results | ${results} |\n`;

describe('batch report, exact text', () => {
  it('renders every part of a mixed batch exactly', () => {
    const lines = [
      ok('a', '# Overview\nThe file adds numbers.\n```md\n# not a heading\n```'),
      JSON.stringify({ custom_id: 'b', result: { type: 'errored', error: { type: 'error', error: { type: 'overloaded_error', message: 'Over\n  loaded <b>' } } } }),
      JSON.stringify({ custom_id: 'c', result: { type: 'canceled' } }),
      JSON.stringify({ custom_id: 'd', result: { type: 'expired' } }),
      ok('e', 'Long answer', 'max_tokens'),
      ok('g', '   '),
      ok('zz', 'stray'),
      'garbage `x`',
    ].join('\n');
    const input: ReportInput = {
      batchId: 'msg|42', task: 'review', model: 'claude|sonnet', createdAt: Date.UTC(2026, 10, 22, 0, 0, 0, 123), endedAt: Date.UTC(2026, 10, 22, 0, 5, 0),
      entries: ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((id) => entry(id, `src/${id}.ts`)),
      skipped: [{ path: 'logo.png', location: 'file:///ws/logo.png', reason: 'binary file' }],
      results: parseResultLines(lines),
    };
    assert.equal(renderReport(input), [
      '# Batch report: Review (7 files)', '',
      '| | |', '| --- | --- |', '| Task | Review |', '| Model | `claude\\|sonnet` |', '| Batch | `msg\\|42` |',
      '| Created | 2026-11-22 00:00:00 UTC |', '| Ended | 2026-11-22 00:05:00 UTC |',
      '| Results | 3 succeeded, 1 errored, 1 canceled, 1 expired, 1 missing |', '| Skipped | 1 |', '',
      '## `src/a.ts`', '', '### Overview', 'The file adds numbers.', '```md', '# not a heading', '```', '',
      '## `src/e.ts`', '', 'Long answer', '', '> The answer was cut off at the max_tokens limit.', '',
      '## `src/g.ts`', '', '_The model returned no text._', '',
      '## Requests without an answer', '',
      '- `src/b.ts` — **errored**: overloaded_error: Over loaded \\<b>',
      '- `src/c.ts` — **canceled**: the batch was canceled before this request ran',
      '- `src/d.ts` — **expired**: the batch expired (24 h) before this request ran',
      '- `src/f.ts` — **missing**: no result line for request `f`',
      '- result for an unknown request `zz` (succeeded) was ignored', '',
      '## Skipped files', '', '- `logo.png` — binary file', '',
      '## Unreadable result lines', '', "- line 8: not valid JSON — `garbage 'x'`", '',
    ].join('\n'));
    assert.deepEqual(summarize(input), { succeeded: 3, errored: 1, canceled: 1, expired: 1, missing: 1, filesWithSuggestions: 0 });
  });

  it('counts files with suggestions for edit tasks, in the plural, and folds runs of blank lines', () => {
    const input: ReportInput = { ...base, task: 'docComments', entries: [entry('a', 'a.ts'), entry('b', 'b.ts')], results: parseResultLines([ok('a', SUGGESTION), ok('b', `${SUGGESTION}\n\n\n\nend`)].join('\n')) };
    assert.equal(renderReport(input), `${header('Write doc comments (2 files)', 'Write doc comments', '2 succeeded, 0 errored, 0 canceled, 0 expired')}\n`
      + '2 files have suggested changes: run **AIML Chat: Show Batch Jobs…** and choose *Apply suggestions* to review them as diffs.\n\n'
      + `## \`a.ts\`\n\n${SUGGESTION_MD}\n\n## \`b.ts\`\n\n${SUGGESTION_MD}\n\nend\n`);
    assert.deepEqual(summarize(input), { succeeded: 2, errored: 0, canceled: 0, expired: 0, missing: 0, filesWithSuggestions: 2 });
  });

  it('says "1 file has" for one file with suggestions, and counts none for a file without', () => {
    const input: ReportInput = { ...base, task: 'review', entries: [entry('a', 'a.ts'), entry('b', 'b.ts')], results: parseResultLines([ok('a', SUGGESTION), ok('b', 'Looks fine.')].join('\n')) };
    assert.equal(renderReport(input), `${header('Review (2 files)', 'Review', '2 succeeded, 0 errored, 0 canceled, 0 expired')}\n`
      + '1 file has suggested changes: run **AIML Chat: Show Batch Jobs…** and choose *Apply suggestions* to review them as diffs.\n\n'
      + `## \`a.ts\`\n\n${SUGGESTION_MD}\n\n## \`b.ts\`\n\nLooks fine.\n`);
    assert.equal(summarize(input).filesWithSuggestions, 1);
  });

  it('quotes a custom prompt, trimmed and inert, line by line', () => {
    const input: ReportInput = { ...base, task: 'custom', customPrompt: '  Find <b>TODOs</b>\n\n![x](y)  ', entries: [entry('a', 'a.ts')], results: parseResultLines(ok('a', SUGGESTION)) };
    assert.equal(renderReport(input), `${header('Custom prompt (1 file)', 'Custom prompt', '1 succeeded, 0 errored, 0 canceled, 0 expired')}\n`
      + '> Find \\<b>TODOs\\</b>\n> \n> [Image: x](y)\n\n'
      + `## \`a.ts\`\n\n${SUGGESTION_MD}\n`);
    assert.equal(summarize(input).filesWithSuggestions, 0, 'a custom answer proposes no edits');
  });

  it('quotes no prompt for other tasks or an empty one, and shows an empty batch as a header only', () => {
    const explain: ReportInput = { ...base, task: 'explain', customPrompt: 'ignored', entries: [entry('a', 'a.ts')], results: parseResultLines(ok('a', SUGGESTION)) };
    assert.equal(renderReport(explain), `${header('Explain (1 file)', 'Explain', '1 succeeded, 0 errored, 0 canceled, 0 expired')}\n## \`a.ts\`\n\n${SUGGESTION_MD}\n`);
    assert.equal(summarize(explain).filesWithSuggestions, 0);
    const empty: ReportInput = { ...base, task: 'custom', customPrompt: '', entries: [], results: parseResultLines('') };
    assert.equal(renderReport(empty), header('Custom prompt (0 files)', 'Custom prompt', '0 succeeded, 0 errored, 0 canceled, 0 expired'));
  });

  it('keeps the last outcome of a repeated id', () => {
    const outcomes = parseResultLines([ok('a', 'first'), ok('a', 'second')].join('\n')).outcomes;
    const map = outcomesById(outcomes);
    assert.deepEqual([...map.keys()], ['a']);
    assert.equal((map.get('a') as { text: string }).text, 'second');
  });

  it('demotes headings of one to four hashes outside fences, rule by rule', () => {
    assert.equal(demoteHeadings('# a\n## b\n### c\n#### d\n##### e\n#f\n #g'), '### a\n#### b\n##### c\n###### d\n##### e\n#f\n #g');
    assert.equal(demoteHeadings('#\ta'), '###\ta', 'any white space after the hashes');
    assert.equal(demoteHeadings('```\n# a\n```\n# b'), '```\n# a\n```\n### b');
    assert.equal(demoteHeadings('x\n  ```js\n# a\n  ```\n# b'), 'x\n  ```js\n# a\n  ```\n### b', 'indented fences with an info string');
    assert.equal(demoteHeadings('````\n# a\n```\n# b\n````\n# c'), '````\n# a\n```\n# b\n````\n### c', 'a shorter fence does not close');
    assert.equal(demoteHeadings('```\n# a\n`````\n# b'), '```\n# a\n`````\n### b', 'a longer one does');
    assert.equal(demoteHeadings('```\n# a\n~~~\n# b'), '```\n# a\n~~~\n# b', 'nor does the other fence character');
    assert.equal(demoteHeadings('~~~\n# a\n~~~\n# b'), '~~~\n# a\n~~~\n### b');
    assert.equal(demoteHeadings('```\n# a\n``` js\n# b\n```\n# c'), '```\n# a\n``` js\n# b\n```\n### c', 'a closing fence has nothing after it');
    assert.equal(demoteHeadings('```\n# a\n```  \n# b'), '```\n# a\n```  \n### b', 'trailing spaces are allowed');
    assert.equal(demoteHeadings('``\n# a'), '``\n### a', 'two backticks open no fence');
    assert.equal(demoteHeadings('a ``` b\n# x\nx # y'), 'a ``` b\n### x\nx # y', 'fences and headings start their line');
    assert.equal(demoteHeadings('\n\n# a\r\n# b\n\n'), '### a\n### b', 'CRLF read, the ends trimmed');
  });
});
