import * as assert from 'node:assert/strict';
import { mergeRestoredPrompt } from '../../../webview/restoredPrompt';

describe('mergeRestoredPrompt (composer)', () => {
  it('puts the prompt into an empty composer', () => {
    assert.equal(mergeRestoredPrompt('', 'question'), 'question');
    assert.equal(mergeRestoredPrompt('  \n', 'question'), 'question');
  });

  it('keeps what was typed since, after the restored prompt', () => {
    assert.equal(mergeRestoredPrompt('new draft', 'question'), 'question\n\nnew draft');
  });

  it('does not add the prompt a second time when it is already in the composer', () => {
    const once = mergeRestoredPrompt('new draft', 'question');
    assert.equal(mergeRestoredPrompt(once, 'question'), once);
    assert.equal(mergeRestoredPrompt('question', 'question'), 'question');
    assert.equal(mergeRestoredPrompt('draft\n\nquestion', 'question'), 'draft\n\nquestion');
  });

  it('still restores a prompt that is only part of a longer word in the draft', () => {
    assert.equal(mergeRestoredPrompt('questionnaire', 'question'), 'question\n\nquestionnaire');
  });
});
