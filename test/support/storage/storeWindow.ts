// One "VS Code window" for the two-window storage test: a separate process with its own
// ConversationStore on the shared folder. It starts its own conversations and keeps adding turns
// to one conversation that the other window adds turns to as well, saving after every change,
// then reports what it wrote. Run with `node --import tsx storeWindow.ts FOLDER NAME SHARED_ID ROUNDS`.
import { ConversationStore } from '../../../src/core/chat/conversationStore';
import type { Conversation } from '../../../src/shared/model';

async function main(): Promise<void> {
  const [folder, name, sharedId, roundsText] = process.argv.slice(2);
  const store = new ConversationStore(folder, { throttleMs: 0 });
  const loaded = await store.load(sharedId);
  if (loaded.kind !== 'ok') throw new Error(`${name}: shared conversation ${loaded.kind}`);
  const shared: Conversation = loaded.conversation;
  const created: string[] = [];
  const messages: string[] = [];
  for (let i = 0; i < Number(roundsText); i++) {
    const own = store.create('claude-sonnet-4-6');
    own.title = `${name} ${i}`;
    own.messages.push({ id: `${name}-own-${i}`, role: 'user', kind: 'prompt', createdAt: Date.now(), content: [{ type: 'text', text: 'hello' }] });
    await store.save(own);
    created.push(own.id);
    const id = `${name}-m${i}`;
    shared.messages.push({ id, role: i % 2 ? 'assistant' : 'user', createdAt: Date.now(), content: [{ type: 'text', text: `${name} turn ${i}` }] });
    shared.updatedAt = Date.now();
    if (i % 3 === 0) await store.save(shared);
    else store.scheduleSave(shared);
    messages.push(id);
    if (i % 5 === 0) await store.list();
    await store.setLastOpenId(i % 2 ? own.id : sharedId);
  }
  await store.flush();
  process.send?.({ created, messages });
}

main().catch((error: Error) => {
  console.error(error.stack);
  process.exit(1);
});
