// The words sent to the model, asserted whole: a wording change has to change this test too, so it
// is reviewed as one (and no sentence can be dropped unnoticed).
import * as assert from 'node:assert/strict';
import { buildExplainPrompt, buildSystemPrompt, titleFromPrompt, toolLimitNote } from '../../../src/core/chat/prompts';

const BASE = [
  'You are AIML Chat, a coding assistant inside Visual Studio Code.',
  'Answer concisely. Lead with the answer, then the detail that matters. Use Markdown; put code in fenced blocks with a language tag.',
  'When you show a change, show only the relevant part of the file unless asked for the whole file.',
  'If you are unsure, say so instead of guessing; never invent file contents, APIs or command output.',
];
const LOOK = [
  'Look before you answer questions about this codebase: read the files involved rather than assuming their content.',
  'Prefer a few targeted reads and searches over reading many files. Independent calls may be made in parallel.',
];
const ERRORS = 'A tool result marked as an error explains what went wrong; adjust the call or tell the user, do not repeat the same call.';

describe('prompts: exact words', () => {
  it('system prompt with tools that may edit, in a named workspace', () => {
    assert.equal(buildSystemPrompt({ toolsAvailable: true, workspaceName: 'shop' }), [
      ...BASE,
      'The open workspace is "shop"; paths are relative to its root.',
      'You can use tools to read the workspace (read files, list folders, find files, search text, read diagnostics) and to propose edits.',
      ...LOOK,
      'Edits are proposals: the user reviews each one as a diff and may discard it. Keep edits minimal and explain them briefly.',
      ERRORS,
    ].join('\n'));
  });

  it('system prompt with read-only tools (Plan mode)', () => {
    assert.equal(buildSystemPrompt({ toolsAvailable: true, readOnlyTools: true }), [
      ...BASE,
      'You can use tools to read the workspace (read files, list folders, find files, search text, read diagnostics).',
      ...LOOK,
      ERRORS,
    ].join('\n'));
  });

  it('system prompt without tools', () => {
    assert.equal(buildSystemPrompt({ toolsAvailable: false, workspaceName: '' }), [
      ...BASE,
      'Workspace tools are not available in this session: work from what the user shows you, and say when you would need to see more.',
    ].join('\n'));
  });

  it('explain prompt for one line, with only the code after it as context', () => {
    assert.equal(buildExplainPrompt({ fileName: 'a.py', languageId: 'python', startLine: 7, endLine: 7, code: 'x = 1', before: ' \n', after: 'y = 2' }),
      'Explain this code from `a.py` (line 7, python): what it does, how, and anything surprising or risky.\n\n```python\nx = 1\n```\n\nSurrounding code, for context only:\n\nAfter:\n```python\ny = 2\n```');
    assert.equal(buildExplainPrompt({ fileName: 'a.py', languageId: 'python', startLine: 1, endLine: 2, code: 'x', before: '', after: '\t' }),
      'Explain this code from `a.py` (lines 1-2, python): what it does, how, and anything surprising or risky.\n\n```python\nx\n```');
  });

  it('tool limit note', () => {
    assert.equal(toolLimitNote(25), 'The limit of 25 tool calls for this answer has been reached; no more tools will run. Using what you have found so far, give the user your answer now, and say briefly what is left unchecked.');
  });

  it('titles: the first non-empty line, spaces collapsed, cut with an ellipsis past the limit', () => {
    assert.equal(titleFromPrompt('\r\n \t \r\n  a \t b  \r\nc'), 'a b');
    assert.equal(titleFromPrompt('x'.repeat(60)), 'x'.repeat(60));
    assert.equal(titleFromPrompt('x'.repeat(61)), `${'x'.repeat(59)}…`);
    assert.equal(titleFromPrompt(`${'y'.repeat(7)}   zzz`, 9), `${'y'.repeat(7)}…`);
    assert.equal(titleFromPrompt(''), 'New chat');
  });
});
