// The balance and the tracing headers asserted exactly: the request made, each formatting branch,
// the out-of-credits test, and which header values are kept, cut or dropped.
import { strict as assert } from 'node:assert';
import { AimlApiError } from '../../../src/core/api/errors';
import { BILLING_PATH, TOP_UP_URL, fetchBalance, formatBalance, isOutOfCredits } from '../../../src/core/api/billing';
import { CLIENT_REQUEST_ID_HEADER, isValidClientRequestId, newClientRequestId, tracingFrom } from '../../../src/core/api/tracing';

describe('balance: exact', () => {
  it('asks GET /v2/billing with the signal and reads the currency, USD by default', async () => {
    const calls: unknown[][] = [];
    const signal = new AbortController().signal;
    const client = (body: unknown) => ({ requestJson: async <T>(...args: unknown[]) => { calls.push(args); return body as T; } });
    assert.deepEqual(await fetchBalance(client({ current_balance: 5, currency: 'EUR', extra: 1 }), signal), { usd: 5, currency: 'EUR' });
    assert.deepEqual(calls, [['GET', '/v2/billing', undefined, { signal }]]);
    assert.equal(BILLING_PATH, '/v2/billing');
    assert.deepEqual(await fetchBalance(client({ current_balance: 0 })), { usd: 0, currency: 'USD' });
    await assert.rejects(fetchBalance(client({ current_balance: 1, currency: 'x'.repeat(11) })), (error: unknown) => error instanceof AimlApiError && error.kind === 'malformed_response' && error.message.includes('the balance answer has no current_balance number'));
    await assert.rejects(fetchBalance(client(null)), (error: unknown) => error instanceof AimlApiError && error.kind === 'malformed_response');
  });

  it('formats every case', () => {
    assert.equal(formatBalance({ usd: 0, currency: 'USD' }), '$0.00');
    assert.equal(formatBalance({ usd: 0.009, currency: 'USD' }), '<$0.01');
    assert.equal(formatBalance({ usd: -0.009, currency: 'USD' }), '<$0.01');
    assert.equal(formatBalance({ usd: 0.01, currency: 'USD' }), '$0.01');
    assert.equal(formatBalance({ usd: 3.456, currency: 'EUR' }), 'EUR 3.46');
    assert.equal(formatBalance({ usd: -2, currency: 'EUR' }), '-EUR 2.00');
  });

  it('tells the out-of-credits refusal from other permission errors', () => {
    const error = (kind: string, message?: string) => ({ info: { kind, message } });
    assert.equal(isOutOfCredits(error('permission', `Top up at ${TOP_UP_URL}`)), true);
    assert.equal(isOutOfCredits(error('permission', 'Not allowed.')), false);
    assert.equal(isOutOfCredits(error('permission')), false);
    assert.equal(isOutOfCredits(error('config', TOP_UP_URL)), false);
    assert.equal(isOutOfCredits(undefined), false);
    assert.equal(isOutOfCredits(new Error(TOP_UP_URL)), false);
  });
});

describe('tracing: exact', () => {
  it('makes an id of aimlchat- and the random part, cleaned and cut to 128, or plain aimlchat', () => {
    assert.equal(newClientRequestId(() => '123e4567-e89b'), 'aimlchat-123e4567-e89b');
    assert.equal(newClientRequestId(() => 'a b/c'), 'aimlchat-abc');
    assert.equal(newClientRequestId(() => 'x'.repeat(200)), `aimlchat-${'x'.repeat(119)}`);
    assert.match(newClientRequestId(), /^aimlchat-[0-9a-f-]{36}$/);
    assert.equal(CLIENT_REQUEST_ID_HEADER, 'x-client-request-id');
    assert.equal(isValidClientRequestId('a'.repeat(128)), true);
    assert.equal(isValidClientRequestId('a'.repeat(129)), false);
    assert.equal(isValidClientRequestId(''), false);
    assert.equal(isValidClientRequestId('A.z_0:9-'), true);
    assert.equal(isValidClientRequestId('a b'), false);
  });

  it('keeps trimmed ids cut to 200 characters and a cost of zero or more', () => {
    assert.deepEqual(tracingFrom(new Headers({ 'x-inference-id': ` ${'i'.repeat(250)} `, 'x-client-request-id': ' c ', 'x-aimlapi-usd-spent': '0' })), { inferenceId: 'i'.repeat(200), clientRequestId: 'c', usdSpent: 0 });
    assert.deepEqual(tracingFrom(new Headers({ 'x-inference-id': '  ', 'x-client-request-id': '', 'x-aimlapi-usd-spent': 'Infinity' })), {});
    assert.deepEqual(tracingFrom(new Headers()), {});
    assert.deepEqual(tracingFrom(undefined), {});
  });
});
