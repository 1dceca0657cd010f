import * as assert from 'node:assert/strict';
import { registerApiKeyCommands, registerTestOnlyCommands, withoutTestOnly, type CommandRegistry } from '../../../src/host/testCommands';

/** Records registrations the way vscode.commands would, and runs them by id. */
class FakeRegistry implements CommandRegistry {
  readonly handlers = new Map<string, (...args: unknown[]) => unknown>();
  registerCommand(id: string, handler: (...args: never[]) => unknown): { dispose(): void } {
    this.handlers.set(id, handler as (...args: unknown[]) => unknown);
    return { dispose: () => this.handlers.delete(id) };
  }
  run(id: string, ...args: unknown[]): unknown {
    const handler = this.handlers.get(id);
    if (!handler) throw new Error(`command ${id} not found`);
    return handler(...args);
  }
}

function keyStore() {
  const calls: string[] = [];
  return {
    calls,
    deps: {
      set: async (key: string) => { calls.push(`set ${key}`); },
      promptAndStore: async () => { calls.push('prompt'); },
      clear: async () => { calls.push('clear'); },
      notify: (message: string) => { calls.push(`notify ${message}`); },
    },
  };
}

describe('test-only commands and arguments', () => {
  const decide = { 'aimlChat.internal.decide': () => true, 'aimlChat.internal.pendingDecisions': () => [] };

  it('does not register the decision commands outside test mode', () => {
    const registry = new FakeRegistry();
    assert.deepEqual(registerTestOnlyCommands(registry, false, decide), []);
    assert.deepEqual([...registry.handlers.keys()], []);
    assert.throws(() => registry.run('aimlChat.internal.decide', 'toolu_1', 'allow'), /not found/);
  });

  it('registers them in test mode', () => {
    const registry = new FakeRegistry();
    assert.equal(registerTestOnlyCommands(registry, true, decide).length, 2);
    assert.equal(registry.run('aimlChat.internal.decide', 'toolu_1', 'allow'), true);
  });

  it('outside test mode, setApiKey with a key argument stores nothing silently: it asks the user', async () => {
    const registry = new FakeRegistry();
    const { calls, deps } = keyStore();
    registerApiKeyCommands(registry, false, deps);
    await registry.run('aimlChat.setApiKey', 'sk-from-another-extension');
    assert.deepEqual(calls, ['prompt']);
  });

  it('in test mode, setApiKey takes the key argument', async () => {
    const registry = new FakeRegistry();
    const { calls, deps } = keyStore();
    registerApiKeyCommands(registry, true, deps);
    await registry.run('aimlChat.setApiKey', 'test-key');
    await registry.run('aimlChat.setApiKey');
    await registry.run('aimlChat.clearApiKey');
    assert.deepEqual(calls, ['set test-key', 'prompt', 'clear', 'notify AIML Chat: API key removed.']);
  });

  it('drops a decision passed in an options object outside test mode, keeps it in test mode', () => {
    const options = { task: 'review', confirm: false };
    assert.deepEqual(withoutTestOnly(options, 'confirm', false), { task: 'review' });
    assert.equal(withoutTestOnly(options, 'confirm', true), options);
    assert.equal(withoutTestOnly(undefined, 'confirm', false), undefined);
    assert.equal(withoutTestOnly('x', 'confirm', false), 'x');
  });
});
