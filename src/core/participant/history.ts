// VS Code's Chat history (ChatContext.history) -> the stored messages an answer continues from.
// Only this participant's turns are taken; VS Code keeps the text of answers, so tool calls of
// earlier turns come back as the text shown, which is what the user saw.
import type { StoredMessage } from '../../shared/model';

export interface ParticipantTurn { role: 'user' | 'assistant'; text: string }

export function historyFromTurns(turns: readonly ParticipantTurn[], newId: () => string, now: number): StoredMessage[] {
  const messages: StoredMessage[] = [];
  for (const turn of turns) {
    const text = turn.text.trim();
    if (!text) continue;
    const previous = messages.at(-1);
    // Two turns of one role in a row (an answer that failed, so VS Code kept no text) become one.
    if (previous?.role === turn.role) {
      (previous.content[0] as { text: string }).text += `\n\n${text}`;
      continue;
    }
    if (messages.length === 0 && turn.role === 'assistant') continue; // the API wants a user turn first
    messages.push({
      id: newId(), role: turn.role, content: [{ type: 'text', text }], createdAt: now,
      ...(turn.role === 'user' ? { kind: 'prompt' as const } : { status: 'complete' as const }),
    });
  }
  return messages;
}
