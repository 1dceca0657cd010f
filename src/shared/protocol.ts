// The typed messages between the extension host and the chat webview, both directions validated
// with zod on arrival. The webview posts `ready` first; the host posts nothing before it.
// While streaming the host sends coalesced `delta` messages (at most one per ~30 ms per message),
// never the whole conversation per token.
import * as z from './zod';
import { ContextAttachment, ContextMeter, ContextOption, InstructionInfo } from './context';
import { TextDigest } from './textDigest';
import { ChatMode, Conversation, ConversationTotals, ErrorInfo, ImageMediaType, ModelInfo, StoredMessage, ToolCallState, Usage, ContentBlock, MessageStatus } from './model';

const blockIndex = z.int().check(z.nonnegative());

/** One change to the content of a streaming assistant message. */
export const DeltaOp = z.discriminatedUnion('op', [
  /** A new content block at `index` (text/thinking start empty; tool_use with empty input). */
  z.object({ op: z.literal('start'), index: blockIndex, block: ContentBlock }),
  /** Text appended to a text block, thinking text to a thinking block, JSON text to a tool_use input preview. */
  z.object({ op: z.literal('append'), index: blockIndex, text: z.string() }),
  /**
   * The block at `index` in its final form (tool input parsed, thinking signature attached). With
   * `elided`, the block's text (text/thinking) is left out: the appends carried it, `elided` is its
   * length and hash, and a webview whose copy differs asks for it again (`resendMessage`).
   */
  z.object({ op: z.literal('finish'), index: blockIndex, block: ContentBlock, elided: z.optional(TextDigest) }),
]);
export type DeltaOp = z.infer<typeof DeltaOp>;

/** A block of `messageUpdated.content` sent without its streamed text. */
export const ElidedText = z.object({ index: blockIndex, length: TextDigest.shape.length, hash: TextDigest.shape.hash });
export type ElidedText = z.infer<typeof ElidedText>;

export const ViewSettings = z.object({
  thinkingEnabled: z.boolean(),
  toolsAvailable: z.boolean(),
  /** Why tools are off, e.g. Restricted Mode. Shown as a notice in the chat. */
  toolsNotice: z.optional(z.string()),
  spendCapUsd: z.nullable(z.number()),
});
export type ViewSettings = z.infer<typeof ViewSettings>;

export const AttachmentPayload = z.object({
  name: z.string(),
  mediaType: ImageMediaType,
  /** base64 without a data: prefix */
  data: z.string(),
  width: z.int().check(z.positive()),
  height: z.int().check(z.positive()),
});
export type AttachmentPayload = z.infer<typeof AttachmentPayload>;

/**
 * In `init` and `conversation`: a long conversation holds only its newest messages
 * (src/shared/snapshotSplit.ts) and this many older ones wait on the host; the webview asks for
 * them (`loadOlderMessages`) once the newest turns have painted.
 */
const OlderMessagesCount = z.optional(z.int().check(z.positive()));

export const HostToWebview = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('init'),
    conversation: Conversation,
    hasApiKey: z.boolean(),
    model: z.string(),
    models: z.array(ModelInfo),
    settings: ViewSettings,
    busy: z.boolean(),
    /** Attachment id -> webview URI of the stored image (for thumbnails of past messages). */
    attachmentUris: z.record(z.string(), z.string()),
    olderMessages: OlderMessagesCount,
  }),
  /** A part of the older messages of an `init` or `conversation`, oldest first; `done` on the last one. */
  z.object({
    type: z.literal('olderMessages'),
    requestId: z.int(),
    /** The id of the message the older part ends before (as asked). */
    before: z.string(),
    messages: z.array(StoredMessage),
    attachmentUris: z.record(z.string(), z.string()),
    done: z.boolean(),
  }),
  z.object({
    type: z.literal('conversation'),
    conversation: Conversation,
    attachmentUris: z.record(z.string(), z.string()),
    olderMessages: OlderMessagesCount,
  }),
  z.object({ type: z.literal('state'), hasApiKey: z.optional(z.boolean()), model: z.optional(z.string()), busy: z.optional(z.boolean()), settings: z.optional(ViewSettings) }),
  z.object({ type: z.literal('messageAdded'), message: StoredMessage, attachmentUris: z.optional(z.record(z.string(), z.string())) }),
  z.object({ type: z.literal('delta'), messageId: z.string(), ops: z.array(DeltaOp) }),
  z.object({
    type: z.literal('messageUpdated'),
    messageId: z.string(),
    status: z.optional(MessageStatus),
    stopReason: z.nullish(z.string()),
    usage: z.optional(Usage),
    usdSpent: z.optional(z.number()),
    /** The gateway's x-inference-id of the answer (shown, copyable, in the footer details). */
    requestId: z.optional(z.string().check(z.maxLength(200))),
    error: z.optional(ErrorInfo),
    /** The full final content, sent once when a message completes (replaces streamed content). */
    content: z.optional(z.array(ContentBlock)),
    /** Blocks of `content` whose text was left out (as in the `finish` op): the streamed text, checked against the digest. */
    elided: z.optional(z.array(ElidedText)),
  }),
  z.object({ type: z.literal('toolCall'), messageId: z.string(), call: ToolCallState }),
  z.object({ type: z.literal('totals'), totals: ConversationTotals }),
  /** An error not tied to a message (no key, spend cap declined, bad settings). */
  z.object({ type: z.literal('error'), error: ErrorInfo, prompt: z.optional(z.string()) }),
  z.object({ type: z.literal('clearError') }),
  /** An image chosen through the host (file picker, Explorer): the webview scales it and adds it to the composer. */
  z.object({ type: z.literal('addAttachment'), name: z.string(), mediaType: z.string(), data: z.string() }),
  z.object({ type: z.literal('focusComposer'), text: z.optional(z.string()) }),
  /** Restores the composer text after a failed send, so the prompt is never lost. */
  z.object({ type: z.literal('restorePrompt'), text: z.string() }),
  /** Files and folders matching a `#` query (answer to contextQuery with the same requestId). */
  z.object({ type: z.literal('contextOptions'), requestId: z.int(), options: z.array(ContextOption).check(z.maxLength(200)) }),
  /** A resolved pick (or a file dragged from the Explorer): becomes a chip in the composer. */
  z.object({ type: z.literal('contextChip'), chip: ContextAttachment }),
  /** A pick that could not be attached (refused, unavailable), with the reason. */
  z.object({ type: z.literal('contextError'), label: z.string(), message: z.string() }),
  z.object({ type: z.literal('contextMeter'), meter: ContextMeter }),
  /** The instruction files in use (empty in Restricted Mode), shown as `Instructions: <file>` chips. */
  z.object({ type: z.literal('instructions'), files: z.array(InstructionInfo) }),
  /** The user turns after which files changed: each carries `Restore checkpoint`. */
  z.object({ type: z.literal('checkpoints'), turnIds: z.array(z.string()) }),
]);
export type HostToWebview = z.infer<typeof HostToWebview>;

export const WebviewToHost = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('send'), text: z.string(), attachments: z.array(AttachmentPayload).check(z.maxLength(20)), context: z.optional(z.array(ContextAttachment).check(z.maxLength(50))), mode: z.optional(ChatMode) }),
  z.object({ type: z.literal('stop') }),
  z.object({ type: z.literal('retry') }),
  z.object({ type: z.literal('newChat') }),
  z.object({ type: z.literal('setApiKey') }),
  z.object({ type: z.literal('selectModel'), model: z.optional(z.string()) }),
  z.object({ type: z.literal('pickImage') }),
  /** Files dragged from VS Code's Explorer onto the view (Shift+drag): the host reads them, then sends addAttachment. */
  z.object({ type: z.literal('attachImageUris'), uris: z.array(z.string()).check(z.minLength(1), z.maxLength(20)) }),
  z.object({ type: z.literal('showHistory') }),
  z.object({ type: z.literal('copy'), text: z.string() }),
  z.object({ type: z.literal('insertAtCursor'), code: z.string() }),
  z.object({ type: z.literal('openLink'), href: z.string() }),
  z.object({
    type: z.literal('toolDecision'),
    toolUseId: z.string(),
    decision: z.enum(['allow', 'deny', 'apply', 'discard']),
    /** For a multi-hunk edit: the hunk indexes the user accepted. */
    acceptedHunks: z.optional(z.array(z.int())),
  }),
  z.object({ type: z.literal('showDiff'), toolUseId: z.string() }),
  z.object({ type: z.literal('log'), level: z.enum(['info', 'warn', 'error']), message: z.string() }),
  /** The text after `#` changed: the host answers with contextOptions. */
  z.object({ type: z.literal('contextQuery'), requestId: z.int(), query: z.string().check(z.maxLength(500)) }),
  /** An entry of the Context listbox was picked: the host reads it and answers contextChip or contextError. */
  z.object({ type: z.literal('contextPick'), option: ContextOption }),
  z.object({ type: z.literal('restoreCheckpoint'), turnId: z.string() }),
  /** The streamed text of a message differs from the digest its end carried: the host answers with messageUpdated and the whole content. */
  z.object({ type: z.literal('resendMessage'), messageId: z.string() }),
  /** The messages of conversation `conversationId` before message `before` (an `init` or `conversation` held them back): answered with olderMessages. */
  z.object({ type: z.literal('loadOlderMessages'), requestId: z.int(), conversationId: z.string(), before: z.string() }),
]);
export type WebviewToHost = z.infer<typeof WebviewToHost>;

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

function parseWith<T>(schema: z.ZodMiniType<T>, raw: unknown): ParseResult<T> {
  const result = schema.safeParse(raw);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0];
  return { ok: false, error: `${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid message'}` };
}

export const parseHostMessage = (raw: unknown): ParseResult<HostToWebview> => parseWith(HostToWebview, raw);
export const parseWebviewMessage = (raw: unknown): ParseResult<WebviewToHost> => parseWith(WebviewToHost, raw);
