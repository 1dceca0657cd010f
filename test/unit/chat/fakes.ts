// Test doubles for the chat: a scripted MessagesApi that streams real-shaped events, and a
// recording ToolExecutor.
import type { ContentBlock, ToolCallState, ToolResultBlock, ToolUseBlock, Usage } from '../../../src/shared/model';
import type { ApiMessage, MessagesApi, MessagesRequest, StreamEvent, StreamOptions, StopReason } from '../../../src/core/api/types';
import type { ToolExecutionContext, ToolExecutor } from '../../../src/core/chat/toolExecutor';
import * as path from 'node:path';
import { messagesClientFactory } from '../../../src/core/api/clientFactory';
import { noopLogger } from '../../../src/core/api/logger';
import { FileAttachmentStore } from '../../../src/core/chat/attachmentStore';
import { ConversationStore } from '../../../src/core/chat/conversationStore';
import { ChatSession } from '../../../src/core/chat/session/chatSession';
import type { ChatSessionDeps } from '../../../src/core/chat/session/types';
import { ChatPresenter } from '../../../src/host/chatPresenter';
import type { ChatSettings } from '../../../src/host/config';

export type Step =
  | { kind: 'reply'; content: ContentBlock[]; stopReason: StopReason; usage?: Usage; usdSpent?: number }
  /** Streams `content`, then waits until the request is aborted (a slow model the user stops). */
  | { kind: 'hang'; content: ContentBlock[] }
  /** Streams `content` (maybe nothing), then fails with `error` (its `partial` set like the real client). */
  | { kind: 'fail'; content: ContentBlock[]; error: Error & { info?: unknown } };

export function reply(content: ContentBlock[] | string, stopReason: StopReason = 'end_turn', extra: { usage?: Usage; usdSpent?: number } = {}): Step {
  return { kind: 'reply', content: typeof content === 'string' ? [{ type: 'text', text: content }] : content, stopReason, ...extra };
}

export function toolUse(id: string, name: string, input: unknown): ToolUseBlock {
  return { type: 'tool_use', id, name, input };
}

export function apiError(kind: string, message: string): Error & { info: { kind: string; message: string; retryable: boolean } } {
  return Object.assign(new Error(message), { info: { kind, message, retryable: true } });
}

export class FakeMessagesApi implements MessagesApi {
  readonly requests: MessagesRequest[] = [];
  /** Resolves when a step has streamed its content and is waiting (hang) — lets tests stop mid-stream. */
  onHang: (() => void) | undefined;

  constructor(private readonly steps: Step[]) {}

  async create(): Promise<ApiMessage> {
    throw new Error('not used');
  }

  async stream(request: MessagesRequest, options: StreamOptions = {}): Promise<ApiMessage> {
    this.requests.push(JSON.parse(JSON.stringify(request)) as MessagesRequest);
    const step = this.steps.shift();
    if (!step) throw new Error('FakeMessagesApi: no step left');
    const snapshot: ApiMessage = { id: `msg_${this.requests.length}`, type: 'message', role: 'assistant', model: request.model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 10, output_tokens: 0 } };
    const emit = (event: StreamEvent): void => options.onEvent?.(event, snapshot);
    emit({ type: 'message_start', message: snapshot });
    step.content.forEach((block, index) => {
      if (options.signal?.aborted) return;
      if (block.type === 'text') {
        snapshot.content = [...snapshot.content, { type: 'text', text: '' }];
        emit({ type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
        for (const piece of (block as { text: string }).text.match(/.{1,3}/gs) ?? []) {
          snapshot.content = snapshot.content.map((b, i) => (i === index ? { ...b, text: (b as { text: string }).text + piece } : b));
          emit({ type: 'content_block_delta', index, delta: { type: 'text_delta', text: piece } });
        }
      } else {
        snapshot.content = [...snapshot.content, block];
        emit({ type: 'content_block_start', index, content_block: block });
      }
      emit({ type: 'content_block_stop', index });
    });
    if (step.kind === 'hang') {
      await new Promise<void>((resolve) => {
        if (options.signal?.aborted) resolve();
        options.signal?.addEventListener('abort', () => resolve(), { once: true });
        this.onHang?.();
      });
      throw Object.assign(new Error('aborted'), { info: { kind: 'aborted', message: 'Stopped.' }, partial: { ...snapshot } });
    }
    if (step.kind === 'fail') throw Object.assign(step.error, { partial: { ...snapshot } });
    snapshot.stop_reason = step.stopReason;
    snapshot.usage = step.usage ?? { input_tokens: 10, output_tokens: 5 };
    if (step.usdSpent !== undefined) snapshot.meta = { usage: { usd_spent: step.usdSpent } };
    emit({ type: 'message_delta', delta: { stop_reason: step.stopReason }, usage: snapshot.usage });
    emit({ type: 'message_stop' });
    return { ...snapshot };
  }
}

export class FakeExecutor implements ToolExecutor {
  readonly batches: ToolUseBlock[][] = [];
  /** Per-call answer; default: "ok <name>". */
  answer: (call: ToolUseBlock) => ToolResultBlock = (call) => ({ type: 'tool_result', tool_use_id: call.id, content: `ok ${call.name}` });
  /** When set, execute() waits for the signal to abort and then throws (a slow approval). */
  waitForAbort = false;
  onWaiting: (() => void) | undefined;

  constructor(private readonly tools = [{ name: 'read_file', description: 'Reads a file', input_schema: { type: 'object' } }]) {}

  definitions() {
    return this.tools;
  }

  async execute(calls: ToolUseBlock[], context: ToolExecutionContext): Promise<ToolResultBlock[]> {
    this.batches.push(calls);
    for (const call of calls) context.onCard({ toolUseId: call.id, tool: call.name, target: 'x', status: 'running' } satisfies ToolCallState);
    if (this.waitForAbort) {
      await new Promise<void>((resolve) => {
        context.signal.addEventListener('abort', () => resolve(), { once: true });
        this.onWaiting?.();
      });
      throw new Error('aborted');
    }
    const results = calls.map((c) => this.answer(c));
    for (const call of calls) context.onCard({ toolUseId: call.id, tool: call.name, target: 'x', status: 'succeeded' });
    return results;
  }
}

export const silentLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * The sidebar's session and presenter wired as in the extension but without VS Code: conversations
 * and attachments under `folder`, the real MessagesClient (no retries) against
 * `settings().baseUrl`, key `test-key`.
 */
export function chatForStandIn(options: { folder: string; settings: () => ChatSettings; executor: ToolExecutor; attachments?: FileAttachmentStore }): { session: ChatSession; presenter: ChatPresenter; deps: ChatSessionDeps } {
  const deps: ChatSessionDeps = {
    store: new ConversationStore(path.join(options.folder, 'conversations')),
    attachments: options.attachments ?? new FileAttachmentStore(path.join(options.folder, 'attachments')),
    getApiKey: async () => 'test-key',
    settings: options.settings,
    createApi: messagesClientFactory(noopLogger, { maxRetries: 0 }),
    executor: () => options.executor,
    workspaceName: () => undefined,
    confirm: async () => true,
    logger: silentLogger,
  };
  const session = new ChatSession(deps);
  const presenter = new ChatPresenter(session, { settings: options.settings, toolsStatus: () => ({ available: true }), models: () => [], attachmentUri: () => undefined });
  return { session, presenter, deps };
}
