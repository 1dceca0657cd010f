// The gateway's service endpoints and headers, against the local stand-in over loopback and as
// pure parsing: the model catalogue (shapes, bad and huge bodies), the balance, request ids and
// the cost header of non-streaming calls.
import { strict as assert } from 'node:assert';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  builtInModels, CatalogueError, fetchCatalogueText, lookup, MAX_CATALOGUE_BYTES, parseCatalogue, replacementFor, useCatalogueForRequests,
} from '../../../src/core/api/catalogue';
import { fetchBalance, formatBalance, isOutOfCredits } from '../../../src/core/api/billing';
import { MessagesClient } from '../../../src/core/api/client';
import { contextWindowTokens, registerCatalogueLookup, validateRequest } from '../../../src/core/api/models';
import { isValidClientRequestId, newClientRequestId, tracingFrom } from '../../../src/core/api/tracing';
import { CATALOGUE_ONLY_MODEL, startStandIn, type StandIn } from '../../support/standin';
import { CapturingLogger } from './helpers';

const entry = (id: string, extra: Record<string, unknown> = {}) => ({ id, type: 'anthropic/messages', aliases: [], info: { name: id, developer: 'Anthropic', contextLength: 200000, outputMax: 64000 }, ...extra });

describe('gateway: model catalogue parsing', () => {
  afterEach(() => registerCatalogueLookup(() => undefined));

  it('reads the documented {object, data} shape and the older bare array with endpoints and maxTokens', () => {
    const current = parseCatalogue(JSON.stringify({ object: 'list', data: [entry('anthropic/claude-sonnet-4.6', { aliases: ['claude-sonnet-4-6'], capabilities: ['tools', 'vision'] }), { id: 'openai/gpt-4o', type: 'openai/chat-completions', info: { name: 'GPT-4o', developer: 'Open AI' } }] }));
    assert.deepEqual(current.map((m) => m.id), ['anthropic/claude-sonnet-4.6'], 'other vendors are skipped');
    assert.deepEqual(current[0].capabilities, { tools: true, images: true, thinking: false });
    assert.equal(lookup(current, 'claude-sonnet-4-6')?.id, 'anthropic/claude-sonnet-4.6', 'found by alias');
    const older = parseCatalogue(JSON.stringify([
      { id: 'claude-opus-4-7', type: 'chat-completion', endpoints: ['/v1/messages', '/v1/chat/completions'], info: { name: 'Claude Opus 4.7', contextLength: 1000000, maxTokens: 128000 }, features: [] },
      { id: 'claude-like-but-not-messages', type: 'chat-completion', endpoints: ['/v1/chat/completions'], info: { name: 'x' } },
    ]));
    assert.deepEqual(older.map((m) => [m.id, m.contextWindow, m.maxOutput]), [['claude-opus-4-7', 1000000, 128000]]);
  });

  it('refuses malformed, empty and oversized bodies with a reason', () => {
    const cases: Array<[string, RegExp]> = [
      ['not json', /not JSON/],
      ['{"data": 5}', /no list of models/],
      ['{"data": [{"id": "openai/gpt-4o", "type": "openai/chat-completions"}]}', /no Claude model/],
      [JSON.stringify({ data: [{ id: 42 }, null, 'x'] }), /no Claude model/],
      ['x'.repeat(MAX_CATALOGUE_BYTES + 1), /larger than/],
    ];
    for (const [body, reason] of cases) assert.throws(() => parseCatalogue(body), (e: Error) => e instanceof CatalogueError && reason.test(e.message), body.slice(0, 40));
  });

  it('keeps good entries when one has wrong types, and bounds names', () => {
    const models = parseCatalogue(JSON.stringify({ data: [entry('anthropic/claude-haiku-4.5', { info: { name: 'Haiku', contextLength: 'big', outputMax: -1 } }), entry('anthropic/claude-sonnet-4.6')] }));
    assert.equal(models.length, 2);
    assert.equal(models[0].contextWindow, 200000, 'a bad context length falls back');
    assert.equal(models[0].maxOutput, 64000, 'a bad output limit falls back to the built-in rule');
  });

  it('a catalogue-only model gets the default request shape and the catalogue output limit', () => {
    const models = parseCatalogue(JSON.stringify({ data: [entry('anthropic/claude-sonnet-4.7', { info: { name: 'Claude Sonnet 4.7', contextLength: 1000000, outputMax: 32000 } }), entry('anthropic/claude-opus-4.7', { aliases: ['claude-opus-4-7'], info: { name: 'Opus', outputMax: 128000 } })] }));
    const ask = (model: string, extra: Record<string, unknown> = {}) => validateRequest({ model, max_tokens: 1000, messages: [{ role: 'user', content: 'hi' }], ...extra });
    assert.match(ask('anthropic/claude-sonnet-4.7').join(), /not one the AI\/ML API offers/, 'unknown before the catalogue is used');
    useCatalogueForRequests(models);
    assert.deepEqual(ask('anthropic/claude-sonnet-4.7', { temperature: 0.5 }), [], 'default shape: temperature accepted');
    assert.match(ask('anthropic/claude-sonnet-4.7', { max_tokens: 40000 }).join(), /above the 32000/);
    assert.match(ask('claude-opus-4-7', { temperature: 0.5 }).join(), /does not accept temperature/, 'known rules are kept');
    assert.equal(contextWindowTokens('anthropic/claude-sonnet-4.7'), 1_000_000, "the context meter and compaction use the catalogue's window");
    assert.equal(contextWindowTokens('claude-haiku-4-5'), 200_000, 'a model the catalogue does not list keeps the built-in window');
    useCatalogueForRequests([]);
    assert.equal(contextWindowTokens('anthropic/claude-sonnet-4.7'), 200_000);
  });

  it('names the replacement of a model that left the catalogue', () => {
    const models = parseCatalogue(JSON.stringify({ data: [entry('anthropic/claude-opus-4.6'), entry('anthropic/claude-opus-4.7'), entry('anthropic/claude-sonnet-4.6')] }));
    assert.equal(replacementFor(models, 'claude-opus-4-1-20250805')?.id, 'anthropic/claude-opus-4.7');
    assert.equal(replacementFor(models, 'claude-haiku-4-5'), undefined);
    assert.ok(builtInModels().every((m) => m.source === 'builtin' && m.maxOutput > 0));
  });
});

describe('gateway: tracing headers', () => {
  it('client request ids use the documented alphabet and length', () => {
    for (let i = 0; i < 50; i++) assert.ok(isValidClientRequestId(newClientRequestId()));
    assert.ok(isValidClientRequestId(newClientRequestId(() => 'bad id/with spaces'.repeat(20))));
    assert.equal(isValidClientRequestId('a'.repeat(129)), false);
    assert.equal(isValidClientRequestId('has space'), false);
  });

  it('reads x-inference-id, the echoed client id and x-aimlapi-usd-spent; ignores garbage', () => {
    const headers = new Headers({ 'x-inference-id': 'V1StGXR8Z5jdHi6BmyT8k', 'x-client-request-id': 'aimlchat-1', 'x-aimlapi-usd-spent': '0.001240000' });
    assert.deepEqual(tracingFrom(headers), { inferenceId: 'V1StGXR8Z5jdHi6BmyT8k', clientRequestId: 'aimlchat-1', usdSpent: 0.00124 });
    assert.deepEqual(tracingFrom(new Headers({ 'x-aimlapi-usd-spent': 'lots' })), {});
    assert.deepEqual(tracingFrom(new Headers({ 'x-aimlapi-usd-spent': '-1' })), {});
  });
});

describe('gateway endpoints against the stand-in', function () {
  this.timeout(20_000);
  let standIn: StandIn;
  before(async () => { standIn = await startStandIn({ apiKey: 'test-key' }); });
  after(() => standIn.close());
  beforeEach(() => standIn.reset());

  it('every request carries X-Client-Request-Id; answers keep x-inference-id; a non-streaming cost comes from the header', async () => {
    const client = new MessagesClient({ baseUrl: standIn.url, apiKey: 'test-key' });
    const request = { model: 'claude-haiku-4-5', max_tokens: 256, messages: [{ role: 'user' as const, content: 'Hello' }] };
    const whole = await client.create(request);
    const streamed = await client.stream(request);
    const sent = standIn.requests.map((r) => r.headers['x-client-request-id']);
    assert.equal(sent.length, 2);
    assert.ok(sent.every((id) => id && isValidClientRequestId(id)), JSON.stringify(sent));
    assert.notEqual(sent[0], sent[1], 'one id per request');
    assert.match(whole.tracing?.inferenceId ?? '', /^inf_/);
    assert.equal(whole.tracing?.clientRequestId, sent[0], 'the gateway echoes our id');
    assert.ok((whole.tracing?.usdSpent ?? 0) > 0, 'x-aimlapi-usd-spent was read');
    assert.equal(whole.meta?.usage?.usd_spent, whole.tracing?.usdSpent);
    assert.match(streamed.tracing?.inferenceId ?? '', /^inf_/);
    assert.equal(streamed.tracing?.usdSpent, undefined, 'a stream has no cost header; its cost is in meta.usage');
    assert.ok((streamed.meta?.usage?.usd_spent ?? 0) > 0);
  });

  it('a catalogue-only model from /models passes the stand-in\'s validation; max_tokens is clamped with a note', async () => {
    const models = parseCatalogue(await fetchCatalogueText(standIn.url));
    assert.ok(lookup(models, CATALOGUE_ONLY_MODEL), 'the stand-in serves a model the seed enum lacks');
    assert.equal(standIn.requests[0].headers.authorization, undefined, 'the catalogue is fetched without the key');
    useCatalogueForRequests(models);
    try {
      const logger = new CapturingLogger();
      const client = new MessagesClient({ baseUrl: standIn.url, apiKey: 'test-key', logger });
      const answer = await client.create({ model: CATALOGUE_ONLY_MODEL, max_tokens: 50_000, messages: [{ role: 'user', content: 'Hi there' }] });
      assert.equal(answer.model, CATALOGUE_ONLY_MODEL);
      assert.equal((standIn.requests.at(-1)?.body as { max_tokens: number }).max_tokens, 32_000);
      assert.ok(logger.lines.some((l) => /max_tokens 50000 is above the 32000/.test(l)), logger.lines.join('\n'));
    } finally {
      registerCatalogueLookup(() => undefined);
    }
    const refused = await fetch(`${standIn.url}/v1/messages`, { method: 'POST', headers: { authorization: 'Bearer test-key', 'content-type': 'application/json' }, body: JSON.stringify({ model: 'anthropic/claude-nonexistent-9', max_tokens: 10, messages: [{ role: 'user', content: 'x' }] }) });
    assert.equal(refused.status, 400, 'a model neither in the seed enum nor the catalogue is still refused');
  });

  it('a bad catalogue body or status is a CatalogueError; a huge body is cut off at the cap', async () => {
    standIn.setGateway({ modelsBody: '<html>oops</html>' });
    assert.throws(() => parseCatalogue('<html>oops</html>'), CatalogueError);
    await assert.rejects(async () => parseCatalogue(await fetchCatalogueText(standIn.url)), /not JSON/);
    standIn.setGateway({ modelsBody: null, modelsStatus: 503 });
    await assert.rejects(fetchCatalogueText(standIn.url), /HTTP 503/);
    // An endless body without content-length: the read stops at the cap.
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 32);
      const write = () => { while (res.write(chunk)) { /* fill the buffer */ } };
      res.on('drain', write);
      write();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      await assert.rejects(fetchCatalogueText(url, { maxBytes: 1024 * 1024 }), /larger than 1048576 bytes/);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('reads the balance from /v2/billing with the key; formats it', async () => {
    const client = new MessagesClient({ baseUrl: standIn.url, apiKey: 'test-key' });
    assert.deepEqual(await fetchBalance(client), { usd: 12.34, currency: 'USD' });
    standIn.setGateway({ balanceUsd: 0.004 });
    assert.equal(formatBalance(await fetchBalance(client)), '<$0.01');
    assert.equal(standIn.requests.at(-1)?.headers.authorization, '[redacted: matched]');
    assert.equal(formatBalance({ usd: 12.3449, currency: 'USD' }), '$12.34');
    assert.equal(formatBalance({ usd: -1.2, currency: 'USD' }), '-$1.20');
    const wrongKey = new MessagesClient({ baseUrl: standIn.url, apiKey: 'other-key', maxRetries: 0 });
    await assert.rejects(fetchBalance(wrongKey), (e: { info?: { kind?: string } }) => e.info?.kind === 'authentication');
  });

  it('a malformed balance body is malformed_response', async () => {
    const fake = { requestJson: async <T>() => ({ current_balance: 'a lot' }) as T };
    await assert.rejects(fetchBalance(fake), (e: { info?: { kind?: string } }) => e.info?.kind === 'malformed_response');
  });

  it('a 403 out of credits becomes an error that says so and links to topping up', async () => {
    standIn.enqueue({ kind: 'fault', fault: 'http403' });
    const client = new MessagesClient({ baseUrl: standIn.url, apiKey: 'test-key', maxRetries: 0 });
    const error = await client.create({ model: 'claude-haiku-4-5', max_tokens: 64, messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    assert.ok(isOutOfCredits(error));
    assert.match((error as Error).message, /out of credits\. Top up your balance at https:\/\/aimlapi\.com\/app\/billing\//);
    assert.match((error as { info: { requestId?: string } }).info.requestId ?? '', /^inf_/, 'the error keeps the gateway\'s request id');
  });
});
