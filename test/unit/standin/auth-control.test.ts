import assert from 'node:assert/strict';
import { startStandIn, type StandIn } from '../../support/standin';
import { assemble, authHeaders, postJson, readSse, textOf } from '../../support/standin/test-client';
import { request } from './helpers';

describe('stand-in: auth and request ids', () => {
  let standIn: StandIn;
  before(async () => { standIn = await startStandIn({ apiKey: 'sekret' }); });
  after(() => standIn.close());
  beforeEach(() => standIn.reset());

  it('rejects a missing key with 401 in the gateway error shape', async () => {
    const res = await postJson(`${standIn.url}/v1/messages`, request(), { 'content-type': 'application/json' });
    assert.equal(res.status, 401);
    const body = await res.json() as Record<string, unknown>;
    assert.deepEqual(Object.keys(body).sort(), ['message', 'path', 'requestId', 'statusCode', 'timestamp']);
    assert.equal(body.statusCode, 401);
    assert.equal(body.path, '/v1/messages');
    assert.equal(body.requestId, res.headers.get('request-id'));
    assert.equal(res.headers.get('x-request-id'), res.headers.get('request-id'));
  });

  it('rejects a wrong key, and a key without the Bearer scheme', async () => {
    for (const authorization of ['Bearer wrong', 'sekret']) {
      const res = await postJson(`${standIn.url}/v1/messages`, request(), { authorization, 'content-type': 'application/json' });
      assert.equal(res.status, 401);
      assert.equal((await res.json() as { message: string }).message, 'Invalid token');
    }
  });

  it('accepts the right key and answers on the /messages alias too', async () => {
    for (const path of ['/v1/messages', '/messages']) {
      const res = await postJson(`${standIn.url}${path}`, request(), authHeaders('sekret'));
      assert.equal(res.status, 200);
      assert.match(res.headers.get('request-id') ?? '', /^req_/);
      const body = await res.json() as { type: string; content: { type: string; text: string }[] };
      assert.equal(body.type, 'message');
      assert.match(body.content[0].text, /Hello stand-in/);
    }
  });

  it('records requests with the key redacted to whether it matched', async () => {
    await postJson(`${standIn.url}/v1/messages`, request(), authHeaders('sekret'));
    await postJson(`${standIn.url}/v1/messages`, request(), authHeaders('nope'));
    assert.equal(standIn.requests.length, 2);
    assert.equal(standIn.requests[0].headers.authorization, '[redacted: matched]');
    assert.equal(standIn.requests[1].headers.authorization, '[redacted: mismatched]');
    assert.equal(standIn.requests[0].authMatched, true);
    assert.deepEqual((standIn.requests[0].body as { model: string }).model, 'claude-sonnet-4-6');
    assert.ok(!JSON.stringify(standIn.requests).includes('sekret'));
  });

  it('answers unknown paths with a 404 not_found_error', async () => {
    const res = await postJson(`${standIn.url}/v1/nothing`, request(), authHeaders('sekret'));
    assert.equal(res.status, 404);
    assert.equal((await res.json() as { error: { type: string } }).error.type, 'not_found_error');
  });
});

describe('stand-in: any-key mode', () => {
  it('accepts any non-empty key but not a missing one', async () => {
    const standIn = await startStandIn({ anyKey: true });
    try {
      assert.equal((await postJson(`${standIn.url}/v1/messages`, request(), authHeaders('whatever-123'))).status, 200);
      assert.equal((await postJson(`${standIn.url}/v1/messages`, request(), { 'content-type': 'application/json' })).status, 401);
    } finally {
      await standIn.close();
    }
  });
});

describe('stand-in: HTTP control endpoints', () => {
  let standIn: StandIn;
  before(async () => { standIn = await startStandIn(); });
  after(() => standIn.close());
  beforeEach(() => standIn.reset());

  it('reports health without auth', async () => {
    const res = await fetch(`${standIn.url}/__standin/health`);
    assert.deepEqual(await res.json(), { ok: true, queued: 0, requests: 0 });
  });

  it('plays enqueued steps first in, first out, then falls back to prompt scenarios', async () => {
    const enqueue = await postJson(`${standIn.url}/__standin/enqueue`, [
      { kind: 'text', text: 'first scripted' },
      { kind: 'text', text: 'second scripted', stopReason: 'max_tokens' },
    ], { 'content-type': 'application/json' });
    assert.deepEqual(await enqueue.json(), { ok: true, queued: 2 });

    const answers: { text: string; stop: unknown }[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await postJson(`${standIn.url}/v1/messages`, request({ stream: true }));
      const assembled = assemble((await readSse(res)).events);
      answers.push({ text: textOf(assembled.message), stop: assembled.stopReason });
    }
    assert.deepEqual(answers[0], { text: 'first scripted', stop: 'end_turn' });
    assert.deepEqual(answers[1], { text: 'second scripted', stop: 'max_tokens' });
    assert.match(answers[2].text, /Hello stand-in/);
  });

  it('lists recorded requests and forgets them and the queue on reset', async () => {
    await postJson(`${standIn.url}/__standin/enqueue`, [{ kind: 'text', text: 'never played' }], {});
    await postJson(`${standIn.url}/v1/messages`, request({ metadata: { user_id: 'u1' } }));
    const recorded = await (await fetch(`${standIn.url}/__standin/requests`)).json() as { path: string; body: { metadata: unknown } }[];
    assert.equal(recorded.length, 1);
    assert.equal(recorded[0].path, '/v1/messages');
    assert.deepEqual(recorded[0].body.metadata, { user_id: 'u1' });

    await postJson(`${standIn.url}/__standin/enqueue`, [{ kind: 'text', text: 'dropped by reset' }], {});
    await postJson(`${standIn.url}/__standin/reset`, {}, {});
    assert.deepEqual(await (await fetch(`${standIn.url}/__standin/health`)).json(), { ok: true, queued: 0, requests: 0 });
    const res = await postJson(`${standIn.url}/v1/messages`, request());
    assert.doesNotMatch(JSON.stringify(await res.json()), /dropped by reset/);
  });

  it('refuses malformed steps and queues none of them', async () => {
    const cases: [unknown, RegExp][] = [
      [[{ kind: 'fault', fault: 'explode' }], /steps\.0\.fault: expected one of http429/],
      [[{ kind: 'text', text: 'ok' }, { kind: 'toolUse', calls: [] }], /steps\.1\.calls/],
      [[{ kind: 'scenario', name: 'nope' }], /steps\.0\.name: expected one of default/],
      [[{ kind: 'poem' }], /steps\.0\.kind/],
    ];
    for (const [body, expected] of cases) {
      const res = await postJson(`${standIn.url}/__standin/enqueue`, body, {});
      assert.equal(res.status, 400);
      assert.match((await res.json() as { error: string }).error, expected);
    }
    assert.equal((await (await fetch(`${standIn.url}/__standin/health`)).json() as { queued: number }).queued, 0);
  });

  it('accepts a single step or {steps} as well as an array', async () => {
    await postJson(`${standIn.url}/__standin/enqueue`, { kind: 'text', text: 'one' }, {});
    const res = await postJson(`${standIn.url}/__standin/enqueue`, { steps: [{ kind: 'scenario', name: 'unicode' }] }, {});
    assert.deepEqual(await res.json(), { ok: true, queued: 2 });
  });

  it('enqueue() in process behaves like the endpoint', async () => {
    standIn.enqueue({ kind: 'text', text: 'in-process step' });
    const res = await postJson(`${standIn.url}/v1/messages`, request());
    assert.equal((await res.json() as { content: { text: string }[] }).content[0].text, 'in-process step');
  });
});
