// What the tools suites use of the extension's test exports (ExtensionExports in src/extension.ts),
// restated here so the suites do not import the extension's bundle, and a polling wait.
import type { ToolCallState, ToolResultBlock, ToolUseBlock } from '../../../src/shared/model';

export interface ToolsApi {
  definitions(): Array<{ name: string; description?: unknown; input_schema?: unknown }>;
  execute(calls: ToolUseBlock[], context: { signal: AbortSignal; onCard(state: ToolCallState): void }): Promise<ToolResultBlock[]>;
  pendingDecisions(): Array<{ toolUseId: string; kind: string }>;
}

export interface ChatApi {
  send(text: string): Promise<void>;
  waitIdle(): Promise<void>;
  newChat(): Promise<void>;
  currentConversation(): { messages: Array<{ role: string; content: unknown[] }> };
}

/** Polls `condition` (the machine is loaded: never a fixed sleep). */
export async function until(condition: () => boolean | Promise<boolean>, what: string, limitMs = 15_000): Promise<void> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > limitMs) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
