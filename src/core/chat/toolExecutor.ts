// The seam between the turn runner (the tool loop) and the tools. The real executor lives in
// src/core/tools (pure logic) with a VS Code ToolHost from src/host/tools; unit tests use fakes.
import type { ApiToolDefinition } from '../api/types';
import type { ToolCallState, ToolResultBlock, ToolUseBlock } from '../../shared/model';

export interface ToolExecutionContext {
  signal: AbortSignal;
  /** Create or update the chat card of a call (status, approval buttons, outcome). */
  onCard(state: ToolCallState): void;
  /**
   * VS Code's chat-request token (`ChatRequest.toolInvocationToken`), opaque here: the `@aiml`
   * participant passes it so VS Code's own confirmation shows for VS Code / MCP tools.
   */
  invocationToken?: unknown;
}

export interface ToolExecutor {
  /** Tools sent with the next request; empty when tools are off (Restricted Mode, setting). */
  definitions(): ApiToolDefinition[];
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
