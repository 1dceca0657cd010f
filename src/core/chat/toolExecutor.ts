// The seam between the turn runner (the tool loop) and the tools. The real executor lives in
// src/core/tools (pure logic) with a VS Code ToolHost from src/host/tools; unit tests use fakes.
import type { ApiToolDefinition } from '../api/types';
import type { ChatMode, ToolCallState, ToolResultBlock, ToolUseBlock } from '../../shared/model';

export interface ToolExecutionContext {
  signal: AbortSignal;
  /** Create or update the chat card of a call (status, approval buttons, outcome). */
  onCard(state: ToolCallState): void;
  /**
   * VS Code's chat-request token (`ChatRequest.toolInvocationToken`), opaque here: the `@aiml`
   * participant passes it so VS Code's own confirmation shows for VS Code / MCP tools.
   */
  invocationToken?: unknown;
  /** The turn's mode; 'plan' runs read-only tools only (planMode.ts refuses the rest first). */
  mode?: ChatMode;
}

export interface ToolExecutor {
  /**
   * Tools sent with the next request; empty when tools are off (Restricted Mode, setting).
   * `mode` 'plan' lets an executor offer read-only stand-ins for a tool that also writes (the
   * text editor tool's reads); planMode.ts keeps only the tools isReadOnly() vouches for.
   */
  definitions(mode?: ChatMode): ApiToolDefinition[];
  /**
   * Whether a tool only reads (its definition's `readOnly`). Absent, or false for a name it does
   * not know: the tool counts as able to change things, so Plan mode neither offers nor runs it.
   */
  isReadOnly?(toolName: string): boolean;
  /**
   * Runs every call of one assistant message (parallel calls are answered together) and returns
   * one tool_result per call, in the same order. Invalid input, refusals and failures become
   * `is_error` results with a useful message; this never throws except when `signal` aborts.
   */
  execute(calls: ToolUseBlock[], context: ToolExecutionContext): Promise<ToolResultBlock[]>;
}

/** The result a tool call gets when no tools were offered (the model asked anyway). */
export const TOOLS_OFF_RESULT = 'Not run: tools are turned off.';

export const noTools: ToolExecutor = {
  definitions: () => [],
  execute: async (calls) => calls.map((c) => ({ type: 'tool_result', tool_use_id: c.id, is_error: true, content: TOOLS_OFF_RESULT })),
};
