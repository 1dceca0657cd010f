// GET /models over loopback HTTP, a gateway that misbehaves: no answer, a body that stops
// half-way, a caller that gives up, an error status or a declared size past the limit (whose body
// must not be read). Each ends in a CatalogueError that says which.
import { strict as assert } from 'node:assert';
import { CatalogueError, fetchCatalogueText, MAX_CATALOGUE_BYTES } from '../../../src/core/api/catalogue';
import { startLoopback, type Handler, type LoopbackServer } from './helpers';

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof CatalogueError, `not a CatalogueError: ${String(error)}`);
    return error.message;
  }
  return assert.fail('expected a CatalogueError');
}

describe('catalogue fetch over loopback: exact', function () {
  this.timeout(20_000);
  let server: LoopbackServer | undefined;
  let closed: Promise<void>;

  async function serve(handle: Handler): Promise<string> {
    let onClose!: () => void;
    closed = new Promise((resolve) => { onClose = resolve; });
    server = await startLoopback((request, response, body) => {
      response.once('close', onClose);
      handle(request, response, body);
    });
    return server.url;
  }
  afterEach(async () => { await server?.close(); server = undefined; });

  it('sends GET /models with accept: application/json and no key', async () => {
    const base = await serve((_request, response) => { response.writeHead(200, { 'content-type': 'application/json' }); response.end('{"data":[]}'); });
    assert.equal(await fetchCatalogueText(`${base}/v1/`), '{"data":[]}');
    const [sent] = server!.requests;
    assert.equal(sent.method, 'GET');
    assert.equal(sent.url, '/models');
    assert.equal(sent.headers.accept, 'application/json');
    assert.equal(sent.headers.authorization, undefined);
  });

  it('no answer within timeoutMs: "did not answer in time"', async () => {
    const base = await serve(() => { /* never answers */ });
    const started = Date.now();
    assert.equal(await refusal(fetchCatalogueText(base, { timeoutMs: 200 })), 'the catalogue did not answer in time');
    assert.ok(Date.now() - started < 10_000);
  });

  it('a body that stops half-way within timeoutMs: "did not answer in time", connection closed', async () => {
    const base = await serve((_request, response) => { response.writeHead(200, { 'content-type': 'application/json' }); response.write('{"data":['); });
    assert.equal(await refusal(fetchCatalogueText(base, { timeoutMs: 300 })), 'the catalogue did not answer in time');
    await closed;
  });

  it('the caller\'s signal stops it (not a timeout)', async () => {
    const base = await serve(() => { /* never answers */ });
    const controller = new AbortController();
    const pending = refusal(fetchCatalogueText(base, { signal: controller.signal, timeoutMs: 10_000 }));
    setTimeout(() => controller.abort(new Error('closed by the caller')), 50);
    assert.equal(await pending, 'the catalogue could not be reached (closed by the caller)');
  });

  it('the caller\'s signal stops a body half-way', async () => {
    const base = await serve((_request, response) => { response.writeHead(200, { 'content-type': 'application/json' }); response.write('{"data":['); });
    const controller = new AbortController();
    const pending = refusal(fetchCatalogueText(base, { signal: controller.signal, timeoutMs: 10_000 }));
    setTimeout(() => controller.abort(new Error('stop reading')), 100);
    assert.equal(await pending, 'reading the catalogue failed (stop reading)');
    await closed;
  });

  it('an error status is refused without reading its endless body', async () => {
    const base = await serve((_request, response) => {
      response.writeHead(502, { 'content-type': 'text/plain' });
      const timer = setInterval(() => response.write('x'.repeat(1024)), 5);
      response.once('close', () => clearInterval(timer));
    });
    assert.equal(await refusal(fetchCatalogueText(base, { timeoutMs: 10_000 })), 'the catalogue answered HTTP 502');
    await closed;
  });

  it('a declared length past the limit is refused before the body is read, and the body is cancelled', async () => {
    const base = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(MAX_CATALOGUE_BYTES + 1) });
      response.write('{"data":[');
    });
    assert.equal(await refusal(fetchCatalogueText(base, { timeoutMs: 10_000 })), `the catalogue is larger than ${MAX_CATALOGUE_BYTES} bytes`);
    await closed;
  });

  it('a declared length at the limit is read', async () => {
    const base = await serve((_request, response) => { response.writeHead(200, { 'content-length': '4' }); response.end('1234'); });
    assert.equal(await fetchCatalogueText(base, { maxBytes: 4 }), '1234');
  });

  it('an endless body is cut at maxBytes and the connection closed', async () => {
    const base = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      const timer = setInterval(() => response.write('y'.repeat(4096)), 2);
      response.once('close', () => clearInterval(timer));
    });
    assert.equal(await refusal(fetchCatalogueText(base, { maxBytes: 10_000, timeoutMs: 10_000 })), 'the catalogue is larger than 10000 bytes');
    await closed;
  });
});
