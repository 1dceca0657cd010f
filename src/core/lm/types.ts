// The shapes of VS Code's language-model messages, restated as plain data so the mapping to and
// from the Messages API stays pure (no `vscode` import) and unit-testable. The host turns
// vscode.LanguageModel*Part instances into these (src/host/lm/parts.ts) and back.

export type LmRole = 'user' | 'assistant' | 'system';

export interface LmTextPart { kind: 'text'; value: string }
/** A tool call the model made earlier in the conversation (assistant messages). */
export interface LmToolCallPart { kind: 'toolCall'; callId: string; name: string; input: object }
/** The caller's answer to a tool call (user messages). */
export interface LmToolResultPart { kind: 'toolResult'; callId: string; content: Array<LmTextPart | LmDataPart>; isError?: boolean }
/** Bytes with a MIME type: images, JSON or text, and markers such as Copilot's `cache_control`. */
export interface LmDataPart { kind: 'data'; mimeType: string; data: Uint8Array }
/**
 * Extended thinking. `signature` (or `redactedData` for a redacted block) is what the API needs to
 * accept the block back in a later request; a part without either cannot be sent back.
 */
export interface LmThinkingPart { kind: 'thinking'; value: string; signature?: string; redactedData?: string }

export type LmInputPart = LmTextPart | LmToolCallPart | LmToolResultPart | LmDataPart | LmThinkingPart;

export interface LmMessage { role: LmRole; parts: LmInputPart[] }

export interface LmTool { name: string; description: string; inputSchema?: object }

export interface LmRequestOptions {
  tools?: readonly LmTool[];
  /** 'required': the model must call one of the tools. */
  toolMode?: 'auto' | 'required';
  /** Caller-specific options (VS Code passes them through untouched). */
  modelOptions?: { readonly [name: string]: unknown };
}

/** What the provider reports while an answer streams. */
export type LmOutputPart =
  | { kind: 'text'; value: string }
  | { kind: 'toolCall'; callId: string; name: string; input: object }
  | { kind: 'thinking'; value: string; signature?: string; redactedData?: string };
