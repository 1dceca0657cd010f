// Streamed Messages API events -> the parts a VS Code language-model provider reports: text as it
// arrives, thinking as it arrives (its signature once the block ends, so a caller can send it
// back), and each tool call once its block has stopped and its input has been parsed whole.
import { isRecord } from '../../shared/records';
import type { ApiMessage, ContentBlock, StreamEvent } from '../api/types';
import type { ToolNameMap } from './toolNames';
import type { LmOutputPart } from './types';

export class LmStreamMapper {
  constructor(private readonly toolNames: ToolNameMap) {}

  /** The parts one event yields; `snapshot` is the accumulated message after the event. */
  map(event: StreamEvent, snapshot: ApiMessage): LmOutputPart[] {
    if (event.type === 'content_block_delta') {
      const delta = event.delta;
      // Stryker disable next-line ConditionalExpression: only a text delta carries `text`
      if (delta.type === 'text_delta' && delta.text) return [{ kind: 'text', value: delta.text }];
      // Stryker disable next-line ConditionalExpression: only a thinking delta carries `thinking`
      if (delta.type === 'thinking_delta' && delta.thinking) return [{ kind: 'thinking', value: delta.thinking }];
      return [];
    }
    if (event.type === 'content_block_stop') {
      const block = snapshot.content[event.index];
      return block ? this.finishedBlock(block) : [];
    }
    return [];
  }

  private finishedBlock(block: ContentBlock): LmOutputPart[] {
    const b = block as ContentBlock & Record<string, unknown>;
    switch (b.type) {
      case 'tool_use': {
        const input = b.input;
        return [{
          kind: 'toolCall',
          callId: String(b.id),
          name: this.toolNames.caller(String(b.name)),
          // VS Code's tool-call part takes an object; the API's input always is one, but be safe.
          input: isRecord(input) ? input : { value: input },
        }];
      }
      case 'thinking':
        return typeof b.signature === 'string' && b.signature ? [{ kind: 'thinking', value: '', signature: b.signature }] : [];
      case 'redacted_thinking':
        return typeof b.data === 'string' ? [{ kind: 'thinking', value: '', redactedData: b.data }] : [];
      default:
        return [];
    }
  }
}
