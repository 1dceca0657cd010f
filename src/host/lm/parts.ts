// vscode.LanguageModel*Part instances <-> the plain parts the core mapping works on.
// LanguageModelThinkingPart is not in the stable API typings yet, but the extension host of
// VS Code 1.139 exports the class and carries it both ways; it is looked up at run time and
// thinking is simply not reported where it is missing.
import * as vscode from 'vscode';
import type { LmDataPart, LmInputPart, LmMessage, LmOutputPart, LmTextPart } from '../../core/lm/types';

type ThinkingMetadata = { readonly [key: string]: unknown };
interface ThinkingPartInstance { value: string | string[]; id?: string; metadata?: ThinkingMetadata }
type ThinkingPartClass = new (value: string | string[], id?: string, metadata?: ThinkingMetadata) => ThinkingPartInstance;

function thinkingPartClass(): ThinkingPartClass | undefined {
  const candidate = (vscode as unknown as { LanguageModelThinkingPart?: unknown }).LanguageModelThinkingPart;
  return typeof candidate === 'function' ? (candidate as ThinkingPartClass) : undefined;
}

export function toCoreMessage(message: vscode.LanguageModelChatRequestMessage): LmMessage {
  // Role 3 is System (a proposed role VS Code's own agent uses).
  const role = message.role === vscode.LanguageModelChatMessageRole.Assistant ? 'assistant' : (message.role as number) === 3 ? 'system' : 'user';
  const parts: LmInputPart[] = [];
  for (const part of message.content) {
    const converted = toCorePart(part);
    if (converted) parts.push(converted);
  }
  return { role, parts };
}

function toCorePart(part: unknown): LmInputPart | undefined {
  if (part instanceof vscode.LanguageModelTextPart) return { kind: 'text', value: part.value };
  if (typeof part === 'string') return { kind: 'text', value: part };
  if (part instanceof vscode.LanguageModelToolCallPart) return { kind: 'toolCall', callId: part.callId, name: part.name, input: part.input };
  if (part instanceof vscode.LanguageModelToolResultPart) {
    const content = part.content.map(toResultContent).filter((c): c is LmTextPart | LmDataPart => c !== undefined);
    return { kind: 'toolResult', callId: part.callId, content, ...((part as { isError?: boolean }).isError ? { isError: true } : {}) };
  }
  if (part instanceof vscode.LanguageModelDataPart) return { kind: 'data', mimeType: part.mimeType, data: part.data };
  const Thinking = thinkingPartClass();
  if (Thinking && part instanceof Thinking) {
    const metadata = part.metadata ?? {};
    return {
      kind: 'thinking',
      value: Array.isArray(part.value) ? part.value.join('') : part.value,
      ...(typeof metadata.signature === 'string' ? { signature: metadata.signature } : {}),
      ...(typeof metadata.redactedData === 'string' ? { redactedData: metadata.redactedData } : {}),
    };
  }
  return undefined;
}

function toResultContent(part: unknown): LmTextPart | LmDataPart | undefined {
  if (part instanceof vscode.LanguageModelTextPart) return { kind: 'text', value: part.value };
  if (part instanceof vscode.LanguageModelDataPart) return { kind: 'data', mimeType: part.mimeType, data: part.data };
  if (part instanceof vscode.LanguageModelPromptTsxPart) return { kind: 'text', value: textOfPromptTsx(part.value) };
  return undefined;
}

/** The text of a rendered @vscode/prompt-tsx element (its text nodes, in order). */
function textOfPromptTsx(value: unknown): string {
  const texts: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [key, child] of Object.entries(node)) {
        if (key === 'text' && typeof child === 'string') texts.push(child);
        else walk(child);
      }
    }
  };
  walk(value);
  return texts.join('');
}

export function toVscodePart(part: LmOutputPart): vscode.LanguageModelResponsePart | undefined {
  switch (part.kind) {
    case 'text':
      return new vscode.LanguageModelTextPart(part.value);
    case 'toolCall':
      return new vscode.LanguageModelToolCallPart(part.callId, part.name, part.input);
    case 'thinking': {
      const Thinking = thinkingPartClass();
      if (!Thinking) return undefined;
      const metadata = part.signature ? { signature: part.signature } : part.redactedData ? { redactedData: part.redactedData } : undefined;
      return new Thinking(part.value, undefined, metadata) as unknown as vscode.LanguageModelResponsePart;
    }
  }
}
