// The gateway's request size limit at its edge: a request of exactly 32 MB is sent, one byte more
// is refused before sending. Kept apart from clientExact.test.ts because building 32 MB of JSON
// takes seconds on a loaded machine.
import { strict as assert } from 'node:assert';
import { MessagesClient } from '../../../src/core/api/client';
import { rejection } from './helpers';

const KEY = 'sk-exact-0123456789abcdef0123';

describe('MessagesClient: the request size limit, exact', function () {
  this.timeout(60_000);
  it('a request of exactly the gateway\'s 32 MB is sent, one byte more is not (an injected fetch)', async () => {
    const sizes: number[] = [];
    const client = new MessagesClient({ baseUrl: 'http://127.0.0.1:9', apiKey: KEY, maxRetries: 0, fetch: async (_url, init) => { sizes.push(Buffer.byteLength(String(init?.body))); return new Response('{}', { status: 200 }); } });
    const budget = 32 * 1024 * 1024;
    const body = { p: 'x'.repeat(budget - JSON.stringify({ p: '' }).length) };
    assert.deepEqual(await client.requestJson('POST', '/v1/big', body), {});
    assert.deepEqual(sizes, [budget]);
    const error = await rejection(client.requestJson('POST', '/v1/big', { p: `${body.p}x` }));
    assert.equal(error.kind, 'too_large');
    assert.deepEqual(sizes, [budget]);
  });
});
