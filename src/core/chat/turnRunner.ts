// The tool loop of one answer: request -> stream -> if the model asked for tools, run all of that
// message's calls, answer them in one user message, and ask again; until the model stops for
// another reason, the user stops, or the per-turn tool-call limit is reached.
//
// Tool-call limit: when a round would go past the limit, only the calls within it run; the rest
// get an error result, and a text block tells the model the limit was reached and asks it to
// answer with what it has. That last request is sent with tool_choice "none", so the answer ends
// with a summary instead of a silent stop. Should the model still ask for tools, the calls are
// answered "not run" (keeping the conversation valid) and the turn ends with outcome 'tool_limit'.
import type { ErrorInfo, StoredMessage, ToolCallState, ToolResultBlock, ToolUseBlock } from '../../shared/model';
import type { ApiMessage, MessagesApi, MessagesRequest, StreamEvent } from '../api/types';
import { TOOLS_OFF_RESULT, type ToolExecutor } from './toolExecutor';
import { toolLimitNote } from './prompts';

export interface TurnCallbacks {
  /** A message was appended to the history (a streaming assistant message, or tool results). */
  onMessageAdded(message: StoredMessage): void;
  /** A stream event was applied; the assistant message's content is already the new snapshot. */
  onStreamEvent(message: StoredMessage, event: StreamEvent, snapshot: ApiMessage): void;
  /** An assistant message reached its final state (complete, interrupted or error). */
  onMessageFinished(message: StoredMessage): void;
  /** A tool card changed; the state is already stored in `message.toolCalls`. */
  onToolCard(message: StoredMessage, state: ToolCallState): void;
}

export interface TurnDependencies {
  api: MessagesApi;
  executor: ToolExecutor;
  /** Builds the request from the history as it is now (called before every round). */
  buildRequest(history: StoredMessage[]): Promise<MessagesRequest>;
  maxToolCalls: number;
  /** How many pause_turn continuations one answer may take (server tools that run long). */
  maxPauses?: number;
  newId(): string;
  now(): number;
}

export type TurnOutcome =
  | { kind: 'done'; toolCalls: number }
  | { kind: 'tool_limit'; toolCalls: number }
  | { kind: 'aborted'; toolCalls: number }
  | { kind: 'error'; toolCalls: number; error: ErrorInfo; streamedAnything: boolean };

const STOPPED_TOOL_NOTE = 'Not run: the user stopped the answer.';
const LIMIT_TOOL_NOTE = 'Not run: the tool-call limit for this answer was reached.';

/**
 * Runs one answer. `history` is the live conversation: new messages are appended to it in place
 * (so a throttled save always sees the latest state) and announced through the callbacks.
 */
export async function runTurn(history: StoredMessage[], deps: TurnDependencies, callbacks: TurnCallbacks, signal: AbortSignal): Promise<TurnOutcome> {
  let toolCalls = 0;
  let pauses = 0;
  let limitReached = false;
  const maxPauses = deps.maxPauses ?? 5;

  for (;;) {
    if (signal.aborted) return { kind: 'aborted', toolCalls };
    const request = await deps.buildRequest(history);
    if (limitReached && request.tools?.length) request.tool_choice = { type: 'none' };
    if (signal.aborted) return { kind: 'aborted', toolCalls };

    const assistant: StoredMessage = { id: deps.newId(), role: 'assistant', content: [], createdAt: deps.now(), model: request.model, status: 'streaming' };
    history.push(assistant);
    callbacks.onMessageAdded(assistant);

    let final: ApiMessage;
    try {
      final = await deps.api.stream(request, {
        signal,
        onEvent: (event, snapshot) => {
          assistant.content = snapshot.content;
          callbacks.onStreamEvent(assistant, event, snapshot);
        },
      });
    } catch (error) {
      const partial = partialOf(error);
      if (partial) {
        assistant.content = partial.content;
        applyUsage(assistant, partial);
      }
      const streamedAnything = assistant.content.length > 0;
      if (signal.aborted) {
        assistant.status = 'interrupted';
        callbacks.onMessageFinished(assistant);
        return { kind: 'aborted', toolCalls };
      }
      const info = errorInfoOf(error);
      assistant.status = streamedAnything ? 'interrupted' : 'error';
      assistant.error = info;
      callbacks.onMessageFinished(assistant);
      return { kind: 'error', toolCalls, error: info, streamedAnything };
    }

    assistant.content = final.content;
    assistant.stopReason = final.stop_reason;
    assistant.model = final.model || assistant.model;
    assistant.status = 'complete';
    applyUsage(assistant, final);
    callbacks.onMessageFinished(assistant);

    if (final.stop_reason === 'pause_turn') {
      // The server paused a long-running server tool: sending the conversation back as it is
      // lets the model continue where it left off.
      if (++pauses > maxPauses) return { kind: 'done', toolCalls };
      continue;
    }
    const calls = final.content.filter((b): b is ToolUseBlock => b.type === 'tool_use');
    if (final.stop_reason !== 'tool_use' || calls.length === 0) return { kind: limitReached ? 'tool_limit' : 'done', toolCalls };

    if (limitReached) {
      // Asked for tools after being told the limit was reached: answer the calls and end here.
      appendResults(history, deps, callbacks, calls.map((c) => errorResult(c.id, LIMIT_TOOL_NOTE)));
      return { kind: 'tool_limit', toolCalls };
    }

    const remaining = Math.max(0, deps.maxToolCalls - toolCalls);
    const runnable = deps.executor.definitions().length > 0 ? calls.slice(0, remaining) : [];
    const skipped = calls.slice(runnable.length);
    let results: ToolResultBlock[] = [];
    if (runnable.length > 0) {
      try {
        results = await deps.executor.execute(runnable, {
          signal,
          onCard: (state) => {
            assistant.toolCalls = { ...(assistant.toolCalls ?? {}), [state.toolUseId]: state };
            callbacks.onToolCard(assistant, state);
          },
        });
      } catch (error) {
        if (!signal.aborted) throw error;
      }
      toolCalls += runnable.length;
    }
    if (signal.aborted) {
      // Answer every call so the stored conversation stays valid for the next prompt.
      const answered = new Map(results.map((r) => [r.tool_use_id, r]));
      appendResults(history, deps, callbacks, calls.map((c) => answered.get(c.id) ?? errorResult(c.id, STOPPED_TOOL_NOTE)));
      return { kind: 'aborted', toolCalls };
    }

    const toolsOff = deps.executor.definitions().length === 0;
    const skippedResults = skipped.map((c) => errorResult(c.id, toolsOff ? TOOLS_OFF_RESULT : LIMIT_TOOL_NOTE));
    // A skipped call means the runnable ones filled the limit, so the count alone tells.
    limitReached = !toolsOff && toolCalls >= deps.maxToolCalls;
    const extra = limitReached ? [{ type: 'text' as const, text: toolLimitNote(deps.maxToolCalls) }] : [];
    appendResults(history, deps, callbacks, [...results, ...skippedResults], extra);
  }
}

function appendResults(history: StoredMessage[], deps: TurnDependencies, callbacks: TurnCallbacks, results: ToolResultBlock[], extra: StoredMessage['content'] = []): void {
  const message: StoredMessage = { id: deps.newId(), role: 'user', kind: 'tool_results', content: [...results, ...extra], createdAt: deps.now() };
  history.push(message);
  callbacks.onMessageAdded(message);
}

function errorResult(toolUseId: string, text: string): ToolResultBlock {
  return { type: 'tool_result', tool_use_id: toolUseId, is_error: true, content: text };
}

function applyUsage(message: StoredMessage, api: Partial<ApiMessage>): void {
  if (api.usage) message.usage = api.usage;
  if (api.tracing?.inferenceId) message.requestId = api.tracing.inferenceId;
  const usd = api.meta?.usage?.usd_spent;
  // Stryker disable next-line ConditionalExpression: equivalent: Number.isFinite is false for anything but a number
  if (typeof usd === 'number' && Number.isFinite(usd) && usd >= 0) message.usdSpent = usd;
}

function partialOf(error: unknown): ApiMessage | undefined {
  const partial = (error as { partial?: ApiMessage } | undefined)?.partial;
  return partial && Array.isArray(partial.content) ? partial : undefined;
}

/** The client's AimlApiError carries `.info`; anything else becomes an 'unknown' error. */
export function errorInfoOf(error: unknown): ErrorInfo {
  const info = (error as { info?: ErrorInfo } | undefined)?.info;
  if (info && typeof info.kind === 'string' && typeof info.message === 'string') return info;
  const message = error instanceof Error ? error.message : String(error);
  return { kind: 'unknown', message: message || 'Something went wrong.' };
}
