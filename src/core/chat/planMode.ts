// Plan mode (issue 13): the model is asked for a plan and offered read-only tools only. Which tools
// qualify is decided here, from each tool's own `readOnly` (ToolExecutor.isReadOnly); a tool that
// does not say so (run_command, edits, another extension's or an MCP server's tool) counts as one
// that changes things. A call to such a tool in a Plan-mode turn (a confused or hostile answer: it
// was never offered) is refused with an error result and never reaches the executor.
import type { ChatMode, ToolCallState, ToolResultBlock, ToolUseBlock } from '../../shared/model';
import type { ToolExecutionContext, ToolExecutor } from './toolExecutor';

/** Appended to the system prompt of a Plan-mode answer. */
export const PLAN_MODE_INSTRUCTION = [
  'Plan mode is on: the user wants a plan, not changes.',
  'You have read-only tools only. Use them to look at the code the plan depends on.',
  'Answer with a step-by-step plan: the files to change and what to change in each, in order, then how to check the result (build, tests).',
  'Do not write the complete changes, and never say that you changed, created, deleted or ran anything: nothing is changed in Plan mode.',
  'The user carries the plan out by switching to Agent mode.',
].join('\n');

/** The start of the error result of a refused call (the model and tests can recognise it). */
export const PLAN_MODE_REFUSED = 'Refused: Plan mode';

export function planModeRefusal(toolName: string): string {
  return `${PLAN_MODE_REFUSED} offers read-only tools only, and "${toolName}" can change files or run commands. Nothing was run. `
    + 'Put this step in your plan instead; the user can switch to Agent mode to carry it out.';
}

/** The system prompt additions a turn in `mode` adds to the workspace's own. */
export function modeSystemAdditions(mode: ChatMode): readonly string[] {
  return mode === 'plan' ? [PLAN_MODE_INSTRUCTION] : [];
}

/** The executor as a turn in `mode` sees it: unchanged in Agent mode, read-only in Plan mode. */
export function executorForMode(executor: ToolExecutor, mode: ChatMode): ToolExecutor {
  if (mode !== 'plan') return executor;
  const readOnly = (name: string): boolean => executor.isReadOnly?.(name) === true;
  return {
    definitions: () => executor.definitions('plan').filter((definition) => readOnly(definition.name)),
    isReadOnly: readOnly,
    execute: async (calls, context) => {
      const allowed = calls.filter((call) => readOnly(call.name));
      for (const call of calls) if (!readOnly(call.name)) context.onCard(refusedCard(call));
      // Stryker disable next-line ArrayDeclaration: with no allowed call, no result is taken from `ran`.
      const ran = allowed.length > 0 ? await executor.execute(allowed, { ...context, mode: 'plan' } satisfies ToolExecutionContext) : [];
      // One result per call, in the calls' order, as the ToolExecutor contract requires (the
      // executor answered the allowed calls in their order).
      let next = 0;
      return calls.map((call): ToolResultBlock => (readOnly(call.name) ? ran[next++] : { type: 'tool_result', tool_use_id: call.id, is_error: true, content: planModeRefusal(call.name) }));
    },
  };
}

function refusedCard(call: ToolUseBlock): ToolCallState {
  return { toolUseId: call.id, tool: call.name, target: '', status: 'failed', summary: 'refused: Plan mode offers read-only tools only' };
}
