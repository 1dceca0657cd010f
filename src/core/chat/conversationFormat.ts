// The on-disk formats of conversations and their index: versions, migrations, and the repairs
// that let a file from a newer or older release load instead of being set aside as corrupt.
// Unknown enum values become a safe default, unknown block shapes a short placeholder, unknown
// fields are dropped; each repair is reported so the store can log it.
import * as z from '../../shared/zod';
import { Conversation, StoredMessage, emptyTotals, type ConversationSummary } from '../../shared/model';
import { isRecord } from '../../shared/records';
import { extraFields, migrate, parseTolerant, setAt, valueAt, type Json, type VersionedFormat } from '../storage/versioned';

export const CONVERSATION_VERSION = 1;
export const INDEX_VERSION = 1;
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,80}$/;

export const conversationFormat: VersionedFormat = {
  name: 'conversation',
  current: CONVERSATION_VERSION,
  // Version 0: a conversation object without `version` (totals came later in development).
  // Stryker disable next-line StringLiteral: equivalent: `describe` documents the step; migrate() never reads it
  migrations: [{ from: 0, describe: 'adds the version and empty totals', up: (data) => ({ totals: emptyTotals(), ...data }) }],
  unversioned: (value) => (isRecord(value) && Array.isArray(value.messages) ? { ...value, version: 0 } : undefined),
};

export const ConversationSummarySchema = z.object({
  id: z.string().check(z.regex(ID_PATTERN)),
  title: z.string(),
  updatedAt: z.number(),
  messageCount: z.number(),
});

export const IndexFileSchema = z.object({
  version: z.literal(INDEX_VERSION),
  lastOpenId: z.catch(z.optional(z.string()), undefined),
  // Entries are checked one by one below: a bad entry is dropped, not the whole index.
  // Stryker disable next-line ArrayDeclaration: equivalent: an entry put in by the fallback fails the summary check below and is dropped
  conversations: z.catch(z.array(z.unknown()), []),
});

export interface IndexFile {
  version: number;
  lastOpenId?: string;
  conversations: ConversationSummary[];
}

export const indexFormat: VersionedFormat = {
  name: 'conversation index',
  current: INDEX_VERSION,
  // Stryker disable next-line ArrayDeclaration,ObjectLiteral,StringLiteral: equivalent: the step is the identity (unversioned() already wrapped the list) and migrate() sets the version itself
  migrations: [{ from: 0, describe: 'wraps a bare list of summaries', up: (data) => data }],
  unversioned: (value) => (Array.isArray(value) ? { version: 0, conversations: value } : isRecord(value) ? { ...value, version: 0 } : undefined),
};

export type ParsedConversation =
  | { kind: 'ok'; conversation: Conversation; fromTheFuture: boolean; notes: string[] }
  | { kind: 'invalid'; problem: string };

/** Migrates, repairs and validates a conversation file's JSON. `notes` lists what was tolerated. */
export function parseConversation(value: unknown): ParsedConversation {
  const notes: string[] = [];
  const migrated = migrate(conversationFormat, value, (note) => notes.push(note));
  if (!migrated) return { kind: 'invalid', problem: 'not a conversation' };
  const data = migrated.data;
  const extra = extraFields(data, Object.keys(Conversation.shape));
  if (extra.length > 0) notes.push(`unknown fields ignored: ${extra.join(', ')}`);
  if (Array.isArray(data.messages)) {
    const messages: unknown[] = data.messages.map((m: unknown) => (isRecord(m) ? { ...m } : m));
    data.messages = messages;
    messages.forEach((m, i) => {
      const unknownFields = extraFields(m, Object.keys(StoredMessage.shape));
      if (unknownFields.length > 0) notes.push(`messages.${i}: unknown fields ignored: ${unknownFields.join(', ')}`);
    });
  }
  const parsed = parseTolerant(Conversation, data, repairConversation, (note) => notes.push(note));
  if (!parsed.success) return { kind: 'invalid', problem: parsed.problem };
  return { kind: 'ok', conversation: parsed.data, fromTheFuture: migrated.fromTheFuture, notes };
}

/** Migrates an index file; entries that do not validate are dropped (the folder scan finds them again). */
export function parseIndex(value: unknown, warn: (note: string) => void): (IndexFile & { fromTheFuture: boolean }) | undefined {
  const migrated = migrate(indexFormat, value, warn);
  if (!migrated) return undefined;
  const parsed = IndexFileSchema.safeParse(migrated.data);
  // Stryker disable next-line ConditionalExpression: equivalent: after migrate() the version is the current one and both other fields fall back with z.catch, so the index schema cannot fail
  if (!parsed.success) return undefined;
  const conversations = parsed.data.conversations.flatMap((entry) => {
    const summary = ConversationSummarySchema.safeParse(entry);
    return summary.success ? [summary.data] : [];
  });
  return { version: migrated.fileVersion, lastOpenId: parsed.data.lastOpenId, conversations, fromTheFuture: migrated.fromTheFuture };
}

export function summaryOf(conversation: Conversation): ConversationSummary {
  return { id: conversation.id, title: conversation.title, updatedAt: conversation.updatedAt, messageCount: conversation.messages.length };
}

/** What a value that this release does not understand becomes, by where it is in a conversation. */
function repairConversation(at: PropertyKey[], data: unknown): string | undefined {
  const [top, index, field, key, sub] = at;
  // Stryker disable next-line ConditionalExpression,LogicalOperator: equivalent: totals hold only numbers (no deeper path), and any other short path is a problem the repair cannot fix, so the file stays invalid with the same problem either way
  if (top === 'totals' && at.length <= 2) {
    setAt(data, ['totals'], emptyTotals());
    return 'unreadable totals reset to zero';
  }
  // Stryker disable next-line ConditionalExpression,LogicalOperator: equivalent: outside messages no path has a third step, so the switch below falls to `default` and returns undefined all the same
  if (top !== 'messages' || typeof index !== 'number') return undefined;
  const message = ['messages', index];
  const was = (path: PropertyKey[]): string => JSON.stringify(valueAt(data, path)) ?? 'nothing';
  switch (field) {
    case 'role':
      return replace(data, [...message, 'role'], 'assistant', `unknown role ${was([...message, 'role'])} read as "assistant"`);
    case 'status':
      return replace(data, [...message, 'status'], 'interrupted', `unknown status ${was([...message, 'status'])} read as "interrupted"`);
    case 'kind':
      return replace(data, [...message, 'kind'], undefined, `unknown message kind ${was([...message, 'kind'])} ignored`);
    case 'error':
      if (key === 'kind') return replace(data, [...message, 'error', 'kind'], 'unknown', `unknown error kind ${was([...message, 'error', 'kind'])} read as "unknown"`);
      return replace(data, [...message, 'error'], undefined, 'unreadable error details dropped');
    case 'mode':
      // A mode from a newer release is read as the one that changes nothing: Plan (read-only tools).
      return replace(data, [...message, 'mode'], 'plan', `unknown mode ${was([...message, 'mode'])} read as "plan"`);
    case 'model': case 'stopReason': case 'usage': case 'usdSpent':
      return replace(data, [...message, field], undefined, `unreadable ${field} dropped`);
    case 'toolCalls': {
      if (typeof key !== 'string') return replace(data, [...message, 'toolCalls'], undefined, 'unreadable tool cards dropped');
      const card = [...message, 'toolCalls', key];
      // Stryker disable next-line ConditionalExpression: equivalent: a card's status is a string enum, so its path never goes deeper
      if (sub === 'status' && at.length === 5) return replace(data, [...card, 'status'], 'failed', `unknown tool call status ${was([...card, 'status'])} read as "failed"`);
      if (sub === 'approval') return replace(data, [...card, 'approval'], undefined, 'unreadable approval request dropped (none is pending after a reload)');
      return replace(data, card, undefined, `unreadable tool card ${key} dropped`);
    }
    case 'content':
      // Stryker disable next-line ConditionalExpression: equivalent: a content that is not a list has no block to replace, so setAt() fails and nothing is repaired either way
      if (typeof key !== 'number') return undefined;
      return replace(data, [...message, 'content', key], placeholderFor(valueAt(data, [...message, 'content', key])), `unreadable ${describeBlock(valueAt(data, [...message, 'content', key]))} replaced by a note`);
    // Stryker disable next-line ConditionalExpression: equivalent: without the default case the function returns undefined all the same
    default:
      return undefined;
  }
}

function replace(data: unknown, at: PropertyKey[], value: unknown, note: string): string | undefined {
  return setAt(data, at, value) ? note : undefined;
}

function describeBlock(block: unknown): string {
  return isRecord(block) && typeof block.type === 'string' ? `"${block.type}" block` : 'block';
}

function placeholderFor(block: unknown): Json {
  const mediaType = isRecord(block) && typeof block.media_type === 'string' ? ` (${block.media_type})` : '';
  return { type: 'text', text: `[A ${describeBlock(block)}${mediaType} that this version of AIML Chat cannot read was left out.]` };
}
