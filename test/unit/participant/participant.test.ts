// The @aiml participant's pure parts: slash-command prompts, references as context blocks,
// follow-ups, and VS Code's chat history as stored messages.
import * as assert from 'node:assert/strict';
import { followupsFor, participantPromptText, referenceBlocks, type ParticipantReference } from '../../../src/core/participant/prompt';
import { historyFromTurns } from '../../../src/core/participant/history';

describe('participant prompt', () => {
  it('puts the command instruction before the user words, and leaves plain prompts alone', () => {
    assert.match(participantPromptText('explain', ''), /^Explain the attached code/);
    assert.match(participantPromptText('fix', '  only the null check '), /^Find and fix[\s\S]*\n\nonly the null check$/);
    assert.match(participantPromptText('tests', 'use vitest'), /unit tests[\s\S]*use vitest$/);
    assert.match(participantPromptText('doc', ''), /documentation comments/);
    assert.equal(participantPromptText(undefined, ' hello '), 'hello');
    assert.equal(participantPromptText('unknown', 'hello'), 'hello');
  });

  it('formats references as one delimited, fenced block and drops repeats', () => {
    const references: ParticipantReference[] = [
      { kind: 'file', label: 'a.ts', path: 'src/a.ts', language: 'typescript', text: 'const a = "```";' },
      { kind: 'selection', label: 'a.ts:1-1', path: 'src/a.ts', language: 'typescript', lines: { start: 1, end: 1 }, text: 'const a' },
      { kind: 'selection', label: 'b.ts:2-3', path: 'src/b.ts', lines: { start: 2, end: 3 }, text: 'b()' },
      { kind: 'file', label: 'a.ts', path: 'src/a.ts', language: 'typescript', text: 'const a = "```";' },
      { kind: 'text', label: 'note"<x>', text: 'plain' },
    ];
    const blocks = referenceBlocks(references);
    assert.equal(blocks.length, 1);
    const text = (blocks[0] as { text: string }).text;
    assert.equal(text.match(/<context /g)?.length, 3, text);
    assert.match(text, /<context source="File \| path: src\/a.ts \| language: typescript">\n````typescript\nconst a = "```";\n````\n<\/context>/);
    assert.match(text, /Selection \| path: src\/b.ts \| lines: 2-3/);
    assert.match(text, /name: note&quot;&lt;x>/, 'a label cannot close the attribute');
    assert.deepEqual(referenceBlocks([]), []);
  });

  it('offers follow-ups that suit the command just run', () => {
    assert.deepEqual(followupsFor('explain').map((f) => f.command), ['tests', 'doc']);
    assert.deepEqual(followupsFor('fix').map((f) => f.command), ['tests']);
    assert.deepEqual(followupsFor('doc'), []);
    assert.deepEqual(followupsFor(undefined).map((f) => f.command), ['explain']);
  });
});

describe('participant history', () => {
  let n = 0;
  const newId = () => `m${++n}`;

  it('turns alternating turns into stored messages', () => {
    const messages = historyFromTurns([{ role: 'user', text: 'Hi' }, { role: 'assistant', text: 'Hello!' }], newId, 5);
    assert.deepEqual(messages.map((m) => [m.role, m.content, m.kind ?? m.status]), [
      ['user', [{ type: 'text', text: 'Hi' }], 'prompt'],
      ['assistant', [{ type: 'text', text: 'Hello!' }], 'complete'],
    ]);
    assert.equal(messages[0].createdAt, 5);
  });

  it('merges a prompt that got no answer into the next one, skips empty turns and a leading answer', () => {
    const messages = historyFromTurns([
      { role: 'assistant', text: 'stray' },
      { role: 'user', text: 'first' },
      { role: 'assistant', text: '   ' },
      { role: 'user', text: 'second' },
      { role: 'assistant', text: 'answer' },
    ], newId, 0);
    assert.deepEqual(messages.map((m) => [m.role, (m.content[0] as { text: string }).text]), [['user', 'first\n\nsecond'], ['assistant', 'answer']]);
  });
});
