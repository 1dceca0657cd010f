// The conversation store of the `@aiml` participant: in memory only. VS Code's Chat keeps that
// conversation itself (ChatContext.history), so nothing is written to the sidebar's history.
import { randomUUID } from 'node:crypto';
import { emptyTotals, type Conversation } from '../../shared/model';
import type { SessionStore } from '../chat/session/types';

export function memorySessionStore(now: () => number = Date.now): SessionStore {
  return {
    create: (model: string): Conversation => ({ version: 1, id: randomUUID(), title: 'New chat', createdAt: now(), updatedAt: now(), model, messages: [], totals: emptyTotals() }),
    load: async () => ({ kind: 'missing' }),
    save: async () => undefined,
    scheduleSave: () => undefined,
    flush: async () => undefined,
    rename: async () => undefined,
    delete: async () => undefined,
    getLastOpenId: async () => undefined,
    setLastOpenId: async () => undefined,
  };
}
