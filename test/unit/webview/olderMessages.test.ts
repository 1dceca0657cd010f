import * as assert from 'node:assert/strict';
import type { StoredMessage } from '../../../src/shared/model';
import type { HostToWebview, WebviewToHost } from '../../../src/shared/protocol';
import { HostOlderMessages } from '../../../webview/olderMessages';

type Part = Extract<HostToWebview, { type: 'olderMessages' }>;
const message = (n: number): StoredMessage => ({ id: `m${n}`, role: 'user', kind: 'prompt', content: [{ type: 'text', text: `q${n}` }], createdAt: n });
const part = (requestId: number, ids: number[], done: boolean, before = 'm9'): Part => ({ type: 'olderMessages', requestId, before, messages: ids.map(message), attachmentUris: Object.fromEntries(ids.map((n) => [`img${n}`, `uri${n}`])), done });

function setup() {
  const posted: WebviewToHost[] = [];
  const calls: string[] = [];
  const prepended: { ids: string[]; uris: Record<string, string> }[] = [];
  const painted: (() => void)[] = [];
  const older = new HostOlderMessages((m) => posted.push(m), {
    awaitOlderMessages: () => calls.push('await'),
    prependMessages: (messages, uris) => { calls.push('prepend'); prepended.push({ ids: messages.map((m) => m.id), uris }); },
  }, (then) => painted.push(then));
  const paint = () => painted.splice(0).forEach((then) => then());
  return { older, posted, calls, prepended, paint };
}

describe('HostOlderMessages (the older part of an init, from the host)', () => {
  it('asks after the first paint, then puts all parts above the newest turns in one step', () => {
    const t = setup();
    t.older.expect('c1', 'm9');
    assert.deepEqual(t.calls, ['await'], 'updates to older messages wait from the start');
    assert.deepEqual(t.posted, [], 'nothing asked before the newest turns painted');
    t.paint();
    assert.deepEqual(t.posted, [{ type: 'loadOlderMessages', requestId: 1, conversationId: 'c1', before: 'm9' }]);
    t.older.receive(part(1, [0, 1, 2], false));
    assert.deepEqual(t.prepended, [], 'nothing shown before the last part');
    t.older.receive(part(1, [3, 4], true));
    assert.deepEqual(t.prepended, [{ ids: ['m0', 'm1', 'm2', 'm3', 'm4'], uris: { img0: 'uri0', img1: 'uri1', img2: 'uri2', img3: 'uri3', img4: 'uri4' } }]);
    // A repeated last part (a second answer) is not shown twice.
    t.older.receive(part(1, [3, 4], true));
    assert.equal(t.prepended.length, 1);
  });

  it('ignores parts of another request, another cut or a cancelled one', () => {
    const t = setup();
    t.older.expect('c1', 'm9');
    t.paint();
    t.older.receive(part(2, [0], true));
    t.older.receive(part(1, [0], true, 'm7'));
    assert.equal(t.prepended.length, 0);
    // A newer init (a reload of the same conversation, another cut) asks again; late parts of the first are dropped.
    t.older.expect('c1', 'm11');
    t.paint();
    assert.deepEqual(t.posted.map((m) => m.type === 'loadOlderMessages' && [m.requestId, m.before]), [[1, 'm9'], [2, 'm11']]);
    t.older.receive(part(1, [0], true));
    assert.equal(t.prepended.length, 0);
    t.older.receive(part(2, [0, 1], true, 'm11'));
    assert.deepEqual(t.prepended.map((p) => p.ids), [['m0', 'm1']]);
    // Cancelled (another conversation shown) before its paint: it does not even ask.
    t.older.expect('c2', 'x');
    t.older.cancel();
    t.paint();
    assert.equal(t.posted.length, 2);
    t.older.receive(part(3, [5], true, 'x'));
    assert.equal(t.prepended.length, 1);
  });
});
