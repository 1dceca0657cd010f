import * as assert from 'node:assert/strict';
import { parseSlashCommand, promptForCommand } from '../../../src/core/context/slashCommands';

describe('slash commands', () => {
  it('parses a known command at the start with its extra words', () => {
    assert.deepEqual(parseSlashCommand('/fix  only the null check '), { name: 'fix', rest: 'only the null check' });
    assert.deepEqual(parseSlashCommand('/new'), { name: 'new', rest: '' });
  });

  it('leaves unknown commands and slashes elsewhere as prompts', () => {
    assert.equal(parseSlashCommand('/usr/bin is missing'), undefined);
    assert.equal(parseSlashCommand('please /fix this'), undefined);
  });

  it('turns prompt commands into prompts and actions into none', () => {
    assert.match(promptForCommand({ name: 'tests', rest: 'use vitest' })!, /unit tests[\s\S]*edit[\s\S]*\n\nuse vitest$/);
    assert.equal(promptForCommand({ name: 'compact', rest: '' }), undefined);
  });
});
