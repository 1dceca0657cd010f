import * as assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseConversation, parseIndex } from '../../../src/core/chat/conversationFormat';
import { ConversationStore, NewerFormatError } from '../../../src/core/chat/conversationStore';
import type { Conversation } from '../../../src/shared/model';

/** A conversation file exactly as the release before versioned storage wrote it. */
function todaysFile(): Conversation {
  return {
    version: 1, id: 'c1', title: 'T', createdAt: 1, updatedAt: 2, model: 'claude-sonnet-4-6',
    totals: { inputTokens: 10, outputTokens: 20, cacheReadTokens: 0, cacheWriteTokens: 0, usdSpent: 0.01 },
    messages: [
      { id: 'u1', role: 'user', kind: 'prompt', createdAt: 1, content: [{ type: 'text', text: 'hi' }, { type: 'image_ref', id: 'a'.repeat(64), media_type: 'image/png', width: 1, height: 1, bytes: 10, name: 'x.png' }] },
      {
        id: 'a1', role: 'assistant', createdAt: 2, status: 'error', model: 'claude-sonnet-4-6',
        error: { kind: 'overloaded', message: 'busy' },
        content: [{ type: 'text', text: 'partial' }, { type: 'tool_use', id: 't1', name: 'read_file', input: { path: 'a' } }],
        toolCalls: { t1: { toolUseId: 't1', tool: 'read_file', target: 'a', status: 'awaiting_approval', approval: { kind: 'allow_deny', reason: 'r' } } },
      },
    ],
  };
}

const parsedOk = (value: unknown): { conversation: Conversation; notes: string[]; fromTheFuture: boolean } => {
  const parsed = parseConversation(value);
  assert.equal(parsed.kind, 'ok', parsed.kind === 'invalid' ? parsed.problem : '');
  return parsed as Extract<typeof parsed, { kind: 'ok' }>;
};

describe('conversation format: versions, migrations, tolerated values', () => {
  it('loads a file written by the release before versioned storage unchanged, with no notes', () => {
    const { conversation, notes, fromTheFuture } = parsedOk(todaysFile());
    assert.deepEqual(conversation, todaysFile());
    assert.deepEqual(notes, []);
    assert.equal(fromTheFuture, false);
  });

  it('migrates version 0 (no version field, no totals) to version 1', () => {
    const { version: _v, totals: _t, ...old } = todaysFile();
    const { conversation } = parsedOk(old);
    assert.equal(conversation.version, 1);
    assert.deepEqual(conversation.totals, { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, usdSpent: 0 });
    assert.deepEqual(conversation.messages, todaysFile().messages);
  });

  it('migrates index version 0 (a bare list) and drops only the entries that do not validate', () => {
    const notes: string[] = [];
    const index = parseIndex([{ id: 'a', title: 'A', updatedAt: 1, messageCount: 2 }, { id: '../x', title: 'bad', updatedAt: 1, messageCount: 1 }], (n) => notes.push(n));
    assert.deepEqual(index?.conversations.map((c) => c.id), ['a']);
    assert.equal(index?.fromTheFuture, false);
    const v1 = parseIndex({ version: 1, lastOpenId: 'a', conversations: [{ id: 'a', title: 'A', updatedAt: 1, messageCount: 2 }] }, (n) => notes.push(n));
    assert.equal(v1?.lastOpenId, 'a');
    assert.deepEqual(notes, []);
  });

  // Every enum of src/shared/model.ts that is stored in a conversation file.
  const enumCases: { name: string; change: (c: Conversation & Record<string, unknown>) => void; check: (c: Conversation) => void }[] = [
    { name: 'message role', change: (c) => { (c.messages[1] as Record<string, unknown>).role = 'system'; }, check: (c) => assert.equal(c.messages[1].role, 'assistant') },
    { name: 'message kind', change: (c) => { (c.messages[0] as Record<string, unknown>).kind = 'steering'; }, check: (c) => assert.equal(c.messages[0].kind, undefined) },
    { name: 'MessageStatus', change: (c) => { (c.messages[1] as Record<string, unknown>).status = 'paused'; }, check: (c) => assert.equal(c.messages[1].status, 'interrupted') },
    { name: 'ErrorKind', change: (c) => { (c.messages[1].error as Record<string, unknown>).kind = 'quota'; }, check: (c) => assert.deepEqual(c.messages[1].error, { kind: 'unknown', message: 'busy' }) },
    { name: 'ToolCallStatus', change: (c) => { (c.messages[1].toolCalls!.t1 as Record<string, unknown>).status = 'queued'; }, check: (c) => assert.equal(c.messages[1].toolCalls!.t1.status, 'failed') },
    { name: 'approval kind', change: (c) => { (c.messages[1].toolCalls!.t1.approval as Record<string, unknown>).kind = 'choose'; }, check: (c) => assert.equal(c.messages[1].toolCalls!.t1.approval, undefined) },
    {
      name: 'ImageMediaType (stored image)',
      change: (c) => { (c.messages[0].content[1] as Record<string, unknown>).media_type = 'image/avif'; },
      check: (c) => assert.deepEqual(c.messages[0].content[1], { type: 'text', text: '[A "image_ref" block (image/avif) that this version of AIML Chat cannot read was left out.]' }),
    },
    {
      name: 'ImageMediaType (image inside a tool result)',
      change: (c) => { c.messages[0].content.push({ type: 'tool_result', tool_use_id: 't0', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/heic' as 'image/png', data: 'AA' } }] }); },
      check: (c) => assert.match((c.messages[0].content[2] as { text: string }).text, /^\[A "tool_result" block that this version/),
    },
  ];
  for (const { name, change, check } of enumCases) {
    it(`maps an unknown ${name} value to a safe default, with a note, instead of failing`, () => {
      const file = todaysFile() as Conversation & Record<string, unknown>;
      change(file);
      const { conversation, notes } = parsedOk(file);
      check(conversation);
      assert.equal(notes.length, 1, notes.join('\n'));
      assert.equal(conversation.messages.length, 2);
    });
  }

  it('ignores extra fields at the top and in messages, with notes, keeping everything else', () => {
    const file = { ...todaysFile(), pinned: true, folderId: 'f' } as Record<string, unknown>;
    (file.messages as Record<string, unknown>[])[0].reactions = ['👍'];
    const { conversation, notes } = parsedOk(file);
    assert.deepEqual(conversation, todaysFile());
    assert.deepEqual(notes, ['unknown fields ignored: pinned, folderId', 'messages.0: unknown fields ignored: reactions']);
  });

  it('keeps an unknown block type verbatim', () => {
    const file = todaysFile();
    const serverBlock = { type: 'web_search_tool_result', tool_use_id: 's1', content: [{ type: 'web_search_result', url: 'https://x' }] };
    file.messages[1].content.push(serverBlock);
    const { conversation, notes } = parsedOk(file);
    assert.deepEqual(conversation.messages[1].content[2], serverBlock);
    assert.deepEqual(notes, []);
  });

  it('reads a file from a newer release with a note, marked so that it is never overwritten', () => {
    const { conversation, notes, fromTheFuture } = parsedOk({ ...todaysFile(), version: 7 });
    assert.equal(fromTheFuture, true);
    assert.equal(conversation.messages.length, 2);
    assert.match(notes[0], /newer version of AIML Chat \(format 7/);
  });

  it('still rejects what cannot be a conversation (no message id, messages not a list)', () => {
    assert.equal(parseConversation({ ...todaysFile(), messages: [{ role: 'user' }] }).kind, 'invalid');
    assert.equal(parseConversation({ ...todaysFile(), messages: 'x' }).kind, 'invalid');
    assert.equal(parseConversation(42).kind, 'invalid');
  });
});

describe('ConversationStore with files from other releases', () => {
  let folder: string;
  beforeEach(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'aiml-format-'));
  });
  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('opens a conversation with unknown values (logged) instead of setting it aside', async () => {
    const file = todaysFile() as Conversation & Record<string, unknown>;
    (file.messages[1] as Record<string, unknown>).status = 'paused';
    await writeFile(path.join(folder, 'c1.json'), JSON.stringify(file));
    const logged: string[] = [];
    const store = new ConversationStore(folder, { log: (m) => logged.push(m) });
    const loaded = await store.load('c1');
    assert.equal(loaded.kind, 'ok');
    assert.equal(loaded.kind === 'ok' && loaded.conversation.messages[1].status, 'interrupted');
    assert.match(logged.join('\n'), /conversation c1: messages\.1\.status: unknown status "paused"/);
    assert.deepEqual((await store.list()).map((s) => s.id), ['c1']);
  });

  it('never overwrites a file from a newer release: the save fails, the user is told once, the file is unchanged', async () => {
    const newer = JSON.stringify({ ...todaysFile(), version: 2, newField: { kept: true } });
    await writeFile(path.join(folder, 'c1.json'), newer);
    const failures: string[] = [];
    const store = new ConversationStore(folder, { onSaveFailed: (file) => failures.push(file) });
    const loaded = await store.load('c1');
    assert.equal(loaded.kind, 'ok');
    const conversation = (loaded as { conversation: Conversation }).conversation;
    conversation.title = 'changed here';
    await assert.rejects(store.save(conversation), NewerFormatError);
    await assert.rejects(store.save(conversation), NewerFormatError);
    assert.equal(await readFile(path.join(folder, 'c1.json'), 'utf8'), newer);
    assert.deepEqual(failures, [path.join(folder, 'c1.json')]);
  });
});
