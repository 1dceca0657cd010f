// The batch tasks and their prompts. The suggestion format the model is asked for must be the one
// the parser reads (its own example parses as one suggestion), each task keeps its own system
// prompt and instruction, and only the known task ids are accepted.
import * as assert from 'node:assert/strict';
import { extractSuggestions } from '../../../src/core/batch/suggestions';
import { SUGGESTION_FORMAT_INSTRUCTIONS, batchTaskIds, batchTasks, instructionFor, isBatchTaskId, systemPromptFor } from '../../../src/core/batch/tasks';

describe('batch tasks', () => {
  it('lists the four tasks with their labels and whether they propose edits', () => {
    assert.deepEqual([...batchTaskIds], ['explain', 'review', 'docComments', 'custom']);
    assert.deepEqual(Object.values(batchTasks).map((t) => [t.id, t.label, t.proposesEdits]), [
      ['explain', 'Explain', false], ['review', 'Review', true], ['docComments', 'Write doc comments', true], ['custom', 'Custom prompt…', false],
    ]);
    assert.deepEqual(Object.values(batchTasks).map((t) => t.description), [
      'What each file does, its main parts and how they fit together',
      'Bugs, risks and improvements, with suggested changes you can apply',
      'Doc comments for the public declarations, as changes you can apply',
      'Your own instruction, sent with each file',
    ]);
  });

  it('accepts only the known task ids', () => {
    for (const id of batchTaskIds) assert.equal(isBatchTaskId(id), true, id);
    for (const value of ['', 'Explain', 'delete', 3, undefined, null]) assert.equal(isBatchTaskId(value), false, String(value));
  });

  it('asks for suggestions in exactly the format the parser reads', () => {
    const example = extractSuggestions(SUGGESTION_FORMAT_INSTRUCTIONS);
    assert.deepEqual(example.map((s) => [s.original, s.replacement]), [['<the original lines, copied character for character from the file>', '<the new lines that take their place>']]);
    const lines = SUGGESTION_FORMAT_INSTRUCTIONS.split('\n');
    assert.equal(lines[0], 'Give every change to the code as a suggestion block in exactly this format:');
    assert.deepEqual(lines.slice(1, 12), ['', 'REPLACE:', '```', '<the original lines, copied character for character from the file>', '```', 'WITH:', '```', '<the new lines that take their place>', '```', '', 'Rules for suggestion blocks:']);
    for (const rule of ['including indentation', 'occurs only once in the file', 'leave it empty to delete them', 'must not overlap', 'use a longer fence such as ````', 'alone on their lines']) {
      assert.ok(SUGGESTION_FORMAT_INSTRUCTIONS.includes(rule), rule);
    }
  });

  it('gives each task its own system prompt and instruction', () => {
    const systems = batchTaskIds.map(systemPromptFor);
    assert.equal(new Set(systems).size, 4);
    assert.match(systemPromptFor('explain'), /^You are an experienced software engineer explaining code/);
    assert.match(systemPromptFor('review'), /^You are a meticulous senior code reviewer\..*skip nitpicks/);
    assert.match(systemPromptFor('docComments'), /^You are a careful engineer who writes concise, accurate doc comments.*never change behaviour\.$/);
    assert.match(systemPromptFor('custom'), /^You are an expert software engineer\. Follow the user's instruction/);
    assert.match(instructionFor('explain'), /^Explain this file: its purpose, its main parts/);
    assert.ok(instructionFor('review').startsWith('Review this file. List the problems you find from most to least important'));
    assert.ok(instructionFor('review').endsWith(`\n\n${SUGGESTION_FORMAT_INSTRUCTIONS}`));
    assert.ok(instructionFor('docComments').startsWith('Write doc comments for the public declarations in this file'));
    assert.ok(instructionFor('docComments').endsWith(`\n\n${SUGGESTION_FORMAT_INSTRUCTIONS}`));
    assert.equal(instructionFor('custom', '  Summarise it.  '), 'Summarise it.');
    assert.throws(() => instructionFor('custom'), { message: 'The custom task needs a prompt.' });
  });
});
