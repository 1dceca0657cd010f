// The session's state machine on its own: each transition, stop and settle in each state, and a
// failing listener logged without stopping the others.
import * as assert from 'node:assert/strict';
import { emptyTotals, type Conversation } from '../../../src/shared/model';
import { SWITCHED, SessionMachine } from '../../../src/core/chat/session/sessionMachine';
import type { SessionEvent } from '../../../src/core/chat/session/types';

const conversation = (id: string): Conversation => ({ version: 1, id, title: 't', createdAt: 0, updatedAt: 0, model: 'm', messages: [], totals: emptyTotals() });
function machine() {
  const errors: string[] = [];
  const m = new SessionMachine(conversation('a'), { error: (line: string) => errors.push(line) } as never);
  return { m, errors };
}

describe('session machine: exact', () => {
  it('starts idle and moves preparing -> streaming -> idle on the same conversation and controller', () => {
    const { m } = machine();
    assert.equal(m.current.kind, 'idle');
    const preparing = m.enterPreparing();
    assert.equal(m.current, preparing);
    assert.equal(preparing.conversation.id, 'a');
    assert.equal(m.stillCurrent(preparing), true);
    const { streaming, finish } = m.enterStreaming(preparing);
    assert.equal(streaming.abort, preparing.abort);
    assert.equal(m.current, streaming);
    assert.equal(m.stillCurrent(preparing), false);
    m.leave(preparing);
    assert.equal(m.current, streaming, 'leaving a state that is no longer current changes nothing');
    m.leave(streaming);
    assert.deepEqual(m.current, { kind: 'idle', conversation: streaming.conversation });
    finish();
  });

  it('stop aborts with the reason; a preparing send goes idle at once, a streaming one stays until it ends', () => {
    const { m } = machine();
    m.stop('nothing to stop');
    assert.equal(m.current.kind, 'idle');
    const preparing = m.enterPreparing();
    m.stop('user');
    assert.equal(preparing.abort.signal.reason, 'user');
    assert.equal(m.current.kind, 'idle');
    assert.equal(m.stillCurrent(preparing), false);
    const again = m.enterPreparing();
    const { streaming } = m.enterStreaming(again);
    m.stop();
    assert.equal(streaming.abort.signal.aborted, true);
    assert.equal(m.current, streaming);
  });

  it('an aborted preparing state is not current even while it is the state', () => {
    const { m } = machine();
    const preparing = m.enterPreparing();
    preparing.abort.abort();
    assert.equal(m.current, preparing);
    assert.equal(m.stillCurrent(preparing), false);
  });

  it('waitIdle and settle wait for a streaming answer to finish; settle stops it as switched', async () => {
    const { m } = machine();
    await m.waitIdle();
    await m.settle();
    const { streaming, finish } = m.enterStreaming(m.enterPreparing());
    let waited = false;
    const waiting = m.waitIdle().then(() => { waited = true; });
    const settling = m.settle();
    await new Promise((resolve) => setTimeout(resolve, 5));
    assert.equal(waited, false);
    assert.equal(streaming.abort.signal.reason, SWITCHED);
    m.leave(streaming);
    finish();
    await Promise.all([waiting, settling]);
    assert.equal(waited, true);
    assert.equal(m.current.kind, 'idle');
  });

  it('show makes a conversation current, gives up a preparing send, and tells every listener even if one fails', () => {
    const { m, errors } = machine();
    const seen: SessionEvent[] = [];
    m.subscribe(() => { throw new Error('boom'); });
    const subscription = m.subscribe((event) => seen.push(event));
    const preparing = m.enterPreparing();
    const b = conversation('b');
    m.show(b, 'switched');
    assert.equal(preparing.abort.signal.reason, SWITCHED);
    assert.deepEqual(m.current, { kind: 'idle', conversation: b });
    assert.deepEqual(seen, [{ type: 'conversationShown', conversation: b, reason: 'switched' }]);
    assert.equal(errors.length, 1);
    assert.match(errors[0], /^a chat session listener failed on conversationShown: Error: boom/);
    subscription.dispose();
    m.emit({ type: 'conversationShown', conversation: b, reason: 'changed' });
    assert.equal(seen.length, 1);
  });
});
