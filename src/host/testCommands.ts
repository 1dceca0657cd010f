// Commands and arguments that exist only for the test suites: answering a tool call or a
// proposal, setting the API key from an argument, skipping a confirmation. Outside test mode
// they are not registered and such arguments are ignored, so no other extension can approve a
// tool call or set the key silently through them. No `vscode` import: unit tests drive this with
// a fake registry (src/host/testMode.ts decides whether the extension runs in test mode).

/** Set by scripts/run-integration.mjs, run-e2e and run-electron for the extension host. */
export const TEST_MODE_ENV = 'AIML_CHAT_TEST_MODE';

export interface Disposable {
  dispose(): unknown;
}

export interface CommandRegistry {
  registerCommand(id: string, handler: (...args: never[]) => unknown): Disposable;
}

/** Registers `commands` only in test mode. */
export function registerTestOnlyCommands(registry: CommandRegistry, testMode: boolean, commands: Record<string, (...args: never[]) => unknown>): Disposable[] {
  if (!testMode) return [];
  return Object.entries(commands).map(([id, handler]) => registry.registerCommand(id, handler));
}

/** A test-only argument: passed through in test mode, dropped otherwise. */
export function testOnly<T>(testMode: boolean, value: T | undefined): T | undefined {
  return testMode ? value : undefined;
}

/** An options object without the test-only field `key` outside test mode (a decision, say). */
export function withoutTestOnly(options: unknown, key: string, testMode: boolean): unknown {
  if (testMode || !options || typeof options !== 'object' || !(key in options)) return options;
  const { [key]: _dropped, ...rest } = options as Record<string, unknown>;
  return rest;
}

export interface ApiKeyCommandsDeps {
  set(key: string): Promise<void>;
  promptAndStore(): Promise<unknown>;
  clear(): Promise<void>;
  notify(message: string): void;
}

/**
 * `aimlChat.setApiKey` and `aimlChat.clearApiKey`. A key passed as an argument is taken only in
 * test mode; otherwise the user is always asked (the input box stores nothing silently).
 */
export function registerApiKeyCommands(registry: CommandRegistry, testMode: boolean, deps: ApiKeyCommandsDeps): Disposable[] {
  return [
    registry.registerCommand('aimlChat.setApiKey', async (key?: unknown) => {
      const given = testOnly(testMode, typeof key === 'string' && key.trim() ? key : undefined);
      if (given) await deps.set(given);
      else await deps.promptAndStore();
    }),
    registry.registerCommand('aimlChat.clearApiKey', async () => {
      await deps.clear();
      deps.notify('AIML Chat: API key removed.');
    }),
  ];
}
