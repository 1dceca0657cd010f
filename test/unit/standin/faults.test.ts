import assert from 'node:assert/strict';
import { startStandIn, type StandIn } from '../../support/standin';
import { assemble, authHeaders, postJson, readSse, textOf } from '../../support/standin/test-client';
import { request } from './helpers';

const streamRequest = request({ stream: true, messages: [{ role: 'user', content: 'Tell me about the weather on the coast today' }] });

describe('stand-in: faults', () => {
  let standIn: StandIn;
  before(async () => { standIn = await startStandIn({ trickleMs: 2 }); });
  after(() => standIn.close());
  beforeEach(() => standIn.reset());

  it('http429 sends rate_limit_error with retry-after and retry-after-ms', async () => {
    standIn.enqueue({ kind: 'fault', fault: 'http429', retryAfterSeconds: 1.5 });
    const res = await postJson(`${standIn.url}/v1/messages`, streamRequest);
    assert.equal(res.status, 429);
    assert.equal(res.headers.get('retry-after'), '2');
    assert.equal(res.headers.get('retry-after-ms'), '1500');
    assert.equal((await res.json() as { error: { type: string } }).error.type, 'rate_limit_error');
  });

  it('http529 / http500 send overloaded_error / api_error', async () => {
    standIn.enqueue({ kind: 'fault', fault: 'http529' }, { kind: 'fault', fault: 'http500' });
    const overloaded = await postJson(`${standIn.url}/v1/messages`, streamRequest);
    assert.equal(overloaded.status, 529);
    assert.deepEqual((await overloaded.json() as { error: unknown }).error, { type: 'overloaded_error', message: 'Overloaded' });
    const server = await postJson(`${standIn.url}/v1/messages`, streamRequest);
    assert.equal(server.status, 500);
    assert.equal((await server.json() as { error: { type: string } }).error.type, 'api_error');
  });

  it('http401 / http403 use the gateway error shape (403 is about credits)', async () => {
    standIn.enqueue({ kind: 'fault', fault: 'http401' }, { kind: 'fault', fault: 'http403' });
    const unauthorized = await postJson(`${standIn.url}/v1/messages`, streamRequest);
    assert.equal(unauthorized.status, 401);
    assert.equal((await unauthorized.json() as { statusCode: number }).statusCode, 401);
    const forbidden = await postJson(`${standIn.url}/v1/messages`, streamRequest);
    assert.equal(forbidden.status, 403);
    const body = await forbidden.json() as { statusCode: number; message: string; requestId: string };
    assert.equal(body.statusCode, 403);
    assert.match(body.message, /credits/);
    assert.equal(body.requestId, forbidden.headers.get('request-id'));
  });

  it('echoKey answers 400 quoting the Authorization and x-api-key headers', async () => {
    standIn.enqueue({ kind: 'fault', fault: 'echoKey' });
    const res = await postJson(`${standIn.url}/v1/messages`, streamRequest, { ...authHeaders(), 'x-api-key': 'test-key' });
    assert.equal(res.status, 400);
    const error = (await res.json() as { error: { type: string; message: string } }).error;
    assert.equal(error.type, 'invalid_request_error');
    assert.match(error.message, /Authorization: Bearer test-key; x-api-key: test-key$/);
  });

  it('midStreamError sends some text, then an overloaded_error event, and no message_stop', async () => {
    standIn.enqueue({ kind: 'fault', fault: 'midStreamError', afterChars: 30 });
    const result = await readSse(await postJson(`${standIn.url}/v1/messages`, streamRequest));
    assert.equal(result.status, 200);
    const last = result.events.at(-1)!;
    assert.equal(last.event, 'error');
    assert.deepEqual(last.json, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
    const partial = assemble(result.events);
    assert.ok(textOf(partial.message).length >= 30);
    assert.equal(partial.sawMessageStop, false);
    assert.equal(partial.stopReason, undefined);
  });

  it('dropMidStream destroys the socket after some text', async () => {
    standIn.enqueue({ kind: 'fault', fault: 'dropMidStream', afterChars: 10 });
    const result = await readSse(await postJson(`${standIn.url}/v1/messages`, streamRequest));
    assert.ok(result.error, 'reading the body fails');
    const partial = assemble(result.events);
    assert.ok(textOf(partial.message).length >= 10);
    assert.equal(partial.sawMessageStop, false);
  });

  it('noMessageStop ends the stream cleanly without message_stop', async () => {
    standIn.enqueue({ kind: 'fault', fault: 'noMessageStop' });
    const result = await readSse(await postJson(`${standIn.url}/v1/messages`, streamRequest));
    assert.equal(result.error, undefined);
    const message = assemble(result.events);
    assert.equal(message.sawMessageStop, false);
    assert.equal(message.stopReason, 'end_turn');
  });

  it('slowTrickle delivers the whole answer in many small pieces', async () => {
    standIn.enqueue({ kind: 'fault', fault: 'slowTrickle' });
    const result = await readSse(await postJson(`${standIn.url}/v1/messages`, streamRequest));
    const message = assemble(result.events);
    assert.equal(message.sawMessageStop, true);
    assert.match(textOf(message.message), /Tell me about the weather/);
    assert.ok(result.chunks.length > 10, `chunks: ${result.chunks.length}`);
    assert.ok(result.chunks.every((chunk) => chunk.length <= 48 + 16), 'no chunk much over 48 bytes');
  });

  it('malformedJson puts one data line that is not JSON into the stream', async () => {
    standIn.enqueue({ kind: 'fault', fault: 'malformedJson' });
    const result = await readSse(await postJson(`${standIn.url}/v1/messages`, streamRequest));
    const broken = result.events.filter((e) => e.json === undefined);
    assert.equal(broken.length, 1);
    assert.equal(broken[0].event, 'content_block_delta');
    assert.throws(() => JSON.parse(broken[0].data));
  });

  it('hang accepts the request and never answers, until the client gives up', async () => {
    standIn.enqueue({ kind: 'fault', fault: 'hang' });
    const controller = new AbortController();
    const pending = fetch(`${standIn.url}/v1/messages`, { method: 'POST', headers: authHeaders(), body: JSON.stringify(streamRequest), signal: controller.signal });
    while (standIn.requests.length === 0) await new Promise((resolve) => setImmediate(resolve));
    const state = await Promise.race([pending.then(() => 'answered', () => 'failed'), new Promise((resolve) => setImmediate(() => resolve('pending')))]);
    assert.equal(state, 'pending');
    controller.abort();
    await assert.rejects(pending, { name: 'AbortError' });
    // The stand-in still answers the next request.
    assert.equal((await postJson(`${standIn.url}/v1/messages`, request())).status, 200);
  });

  it('[[fault:NAME:once]] in a prompt faults only the first request with that prompt', async () => {
    const body = request({ messages: [{ role: 'user', content: 'retry me [[fault:http529:once]]' }] });
    assert.equal((await postJson(`${standIn.url}/v1/messages`, body)).status, 529);
    assert.equal((await postJson(`${standIn.url}/v1/messages`, body)).status, 200);
    const always = request({ messages: [{ role: 'user', content: 'always [[fault:http500]]' }] });
    assert.equal((await postJson(`${standIn.url}/v1/messages`, always)).status, 500);
    assert.equal((await postJson(`${standIn.url}/v1/messages`, always)).status, 500);
  });

  it('without streaming, midStreamError becomes a 529 and dropMidStream a cut body', async () => {
    standIn.enqueue({ kind: 'fault', fault: 'midStreamError' }, { kind: 'fault', fault: 'dropMidStream' });
    assert.equal((await postJson(`${standIn.url}/v1/messages`, request())).status, 529);
    const res = await postJson(`${standIn.url}/v1/messages`, request());
    assert.equal(res.status, 200);
    await assert.rejects(res.text());
  });

  it('survives a client that goes away in the middle of a stream', async () => {
    const controller = new AbortController();
    const res = await fetch(`${standIn.url}/v1/messages`, { method: 'POST', headers: authHeaders(), body: JSON.stringify(request({ stream: true, max_tokens: 64000, messages: [{ role: 'user', content: 'long' }] })), signal: controller.signal });
    const reader = res.body!.getReader();
    await reader.read();
    controller.abort();
    await assert.rejects(reader.read());
    const next = await readSse(await postJson(`${standIn.url}/v1/messages`, streamRequest));
    assert.equal(assemble(next.events).sawMessageStop, true);
  });

  it('close() ends even while a request hangs', async () => {
    const other = await startStandIn();
    other.enqueue({ kind: 'fault', fault: 'hang' });
    const pending = postJson(`${other.url}/v1/messages`, request()).then(() => 'answered', () => 'failed');
    while (other.requests.length === 0) await new Promise((resolve) => setImmediate(resolve));
    await other.close();
    assert.equal(await pending, 'failed');
  });
});
