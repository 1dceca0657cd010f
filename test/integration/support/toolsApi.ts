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

export { until } from './until';
