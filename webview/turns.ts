// Turns as data for the virtualised transcript: grouping of API messages into the turns the user
// sees, a height guess for a turn never rendered, and updates kept in the stored messages so a
// turn rendered again (after scrolling away and back) shows its latest state.
import { isImageBlock, isImageRefBlock, isTextBlock, isThinkingBlock, isToolUseBlock, type StoredMessage, type ToolCallState } from '../src/shared/model';
import type { MessageUpdate } from './messageView';

export interface TurnData {
  role: 'user' | 'assistant';
  messages: StoredMessage[];
}

/** Groups messages into visible turns; tool_result messages only glue assistant messages together. */
export function groupTurns(messages: StoredMessage[]): TurnData[] {
  const turns: TurnData[] = [];
  for (const message of messages) {
    if (message.role === 'user' && message.kind === 'tool_results') continue;
    const last = turns[turns.length - 1];
    if (message.role === 'assistant' && last?.role === 'assistant') last.messages.push(message);
    else turns.push({ role: message.role, messages: [message] });
  }
  return turns;
}

const lineHeightPx = 20;
const charWidthPx = 7.5;
/** Role line, padding, border and the gap to the next turn. */
const turnChromePx = 72;

/**
 * A height guess from the text: wrapped lines at the current width, code blocks and images. Only
 * the spacers use it, and a turn's real height replaces it once it has been rendered.
 */
export function estimateTurnHeight(turn: TurnData, width: number): number {
  const charsPerLine = Math.max(20, Math.floor((width - 48) / charWidthPx));
  let height = turnChromePx;
  for (const message of turn.messages) {
    for (const block of message.content) {
      if (isTextBlock(block) || isThinkingBlock(block)) {
        const text = isTextBlock(block) ? block.text : '';
        let lines = 0;
        for (const line of text.split('\n')) lines += Math.max(1, Math.ceil(line.length / charsPerLine));
        const fences = text.split('```').length - 1;
        height += lines * lineHeightPx + Math.floor(fences / 2) * 48 + (isThinkingBlock(block) ? 28 : 0);
      } else if (isImageRefBlock(block) || isImageBlock(block)) height += 128;
      else if (isToolUseBlock(block)) height += 64;
      else height += 28;
    }
    if (message.role === 'assistant' && message.usage) height += 24;
  }
  return height;
}

/** A turn that must stay rendered: it is streaming or waits for the user's decision. */
export function isLiveTurn(turn: TurnData): boolean {
  return turn.messages.some((message) => message.status === 'streaming'
    || Object.values(message.toolCalls ?? {}).some((call) => call.status === 'awaiting_approval'));
}

/** What AssistantPart.update does to its message, for a message that is not rendered now. */
export function applyStoredUpdate(message: StoredMessage, update: MessageUpdate): void {
  if (update.usage) message.usage = update.usage;
  if (update.usdSpent !== undefined) message.usdSpent = update.usdSpent;
  if (update.requestId) message.requestId = update.requestId;
  if (update.error) message.error = update.error;
  // Elided texts are not here to put back: the caller asks for the whole message instead.
  if (update.content && !update.elided?.length) message.content = update.content;
  if (update.status) message.status = update.status;
}

export function storeToolCall(message: StoredMessage, call: ToolCallState): void {
  message.toolCalls = { ...message.toolCalls, [call.toolUseId]: call };
}
