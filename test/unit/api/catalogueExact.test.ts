// The gateway catalogue asserted exactly: which entries count as Claude on /v1/messages, every
// field of a parsed model and its fallbacks, each refusal's sentence, the replacement for a model
// that left, the lookups handed to models.ts, and the bounded read of GET /models.
import { strict as assert } from 'node:assert';
import { builtInModels, CATALOGUE_MAX_AGE_MS, CatalogueCache, CatalogueError, fetchCatalogueText, lookup, parseCatalogue, replacementFor, useCatalogueForRequests, type ModelInfo } from '../../../src/core/api/catalogue';
import { contextWindowTokens, findModel, listModels, registerCatalogueLookup, registerContextWindowLookup } from '../../../src/core/api/models';

const parse = (data: unknown[]) => parseCatalogue(JSON.stringify({ object: 'list', data }));
const ids = (models: ModelInfo[]) => models.map((m) => m.id);
const refuses = (run: () => unknown, message: string) => assert.throws(run, (error: unknown) => error instanceof CatalogueError && error.message === message);
const model = (id: string, aliases: string[] = []): ModelInfo => ({ id, name: id, contextWindow: 100, maxOutput: 10, capabilities: { tools: true, images: true, thinking: true }, aliases, source: 'catalogue' });

describe('catalogue parsing: exact', () => {
  it('keeps Claude models served on /v1/messages by endpoint, or by type and developer when no endpoints are listed', () => {
    const models = parse([
      { id: 'a', endpoints: ['/v1/messages/'] },
      { id: 'claude-b-1', endpoints: ['/v1/chat/completions'] },
      { id: 'claude-c-1', type: 'anthropic-messages' },
      { id: 'vendor/claude-d-1', type: 'chat-completion', info: { developer: 'Anthropic' } },
      { id: 'claude-e-1', type: 'chat-completion', info: { developer: 'Other' } },
      { id: 'gpt-f', type: 'messages' },
      { id: 'g', aliases: ['claude-g-1'], type: 'messages' },
      { id: 'notclaude-h-1', type: 'messages' },
      { id: 'claude-i-1' },
    ]);
    assert.deepEqual(ids(models), ['a', 'claude-c-1', 'vendor/claude-d-1', 'g']);
  });

  it('fills every field, preferring the catalogue, then the built-in table, then defaults', () => {
    const [full, builtIn, bare] = parse([
      { id: 'claude-x-1', aliases: ['claude-x-1', 'x-alias'], endpoints: ['/v1/messages'], info: { name: '  Claude X  ', contextLength: 500_000, outputMax: 1000, maxTokens: 2000 }, capabilities: ['function_calling'] },
      { id: 'claude-opus-4-7', endpoints: ['/v1/messages'], info: { name: '   ', maxTokens: 3000 }, features: ['vision', 'extended-thinking'] },
      { id: 'claude-new-9', endpoints: ['/v1/messages'], info: { contextLength: -1, outputMax: 'x' }, capabilities: [] },
    ]);
    assert.deepEqual(full, { id: 'claude-x-1', name: 'Claude X', contextWindow: 500_000, maxOutput: 1000, capabilities: { tools: true, images: false, thinking: false }, aliases: ['x-alias'], source: 'catalogue' });
    assert.deepEqual(builtIn, { id: 'claude-opus-4-7', name: 'Claude Opus 4.7', contextWindow: 200_000, maxOutput: 3000, capabilities: { tools: false, images: true, thinking: true }, aliases: [], source: 'catalogue' });
    assert.deepEqual(bare, { id: 'claude-new-9', name: 'claude-new-9', contextWindow: 200_000, maxOutput: 64_000, capabilities: { tools: true, images: true, thinking: true }, aliases: [], source: 'catalogue' });
    const [viaAlias] = parse([{ id: 'vendor/opus', aliases: ['claude-opus-4-7'], endpoints: ['/v1/messages'] }]);
    assert.equal(viaAlias.maxOutput, 128_000);
    assert.equal(viaAlias.name, 'Claude Opus 4.7');
  });

  it('lists an id once, skips entries that fail the shape, and takes a bare array', () => {
    const models = parseCatalogue(JSON.stringify([
      { id: 'claude-a-1', endpoints: ['/v1/messages'], info: { name: 'first' } },
      { id: 'claude-a-1', endpoints: ['/v1/messages'], info: { name: 'second' } },
      { id: '', endpoints: ['/v1/messages'] },
      { endpoints: ['/v1/messages'] },
      'text',
    ]));
    assert.deepEqual(models.map((m) => m.name), ['first']);
  });

  it('says exactly why a catalogue is refused', () => {
    refuses(() => parseCatalogue('{'), 'the catalogue is not JSON');
    refuses(() => parseCatalogue('null'), 'the catalogue has no list of models (expected {data: [...]})');
    refuses(() => parseCatalogue('{"data":{}}'), 'the catalogue has no list of models (expected {data: [...]})');
    refuses(() => parseCatalogue(JSON.stringify({ data: Array.from({ length: 5001 }, () => ({})) })), 'the catalogue lists 5001 entries, more than 5000');
    refuses(() => parseCatalogue(' '.repeat(4 * 1024 * 1024 + 1)), 'the catalogue is larger than 4194304 bytes');
    refuses(() => parse([{ id: 'gpt', endpoints: ['/v1/chat'] }]), 'the catalogue lists no Claude model served on /v1/messages');
    assert.equal(parse([...Array.from({ length: 4999 }, (_, i): unknown => ({ id: `m${i}` })), { id: 'claude-z-1', endpoints: ['/v1/messages'] }]).length, 1);
  });
});

describe('catalogue lookups: exact', () => {
  afterEach(() => {
    registerCatalogueLookup(() => undefined);
    registerContextWindowLookup(() => undefined);
  });

  it('finds by id or alias', () => {
    const models = [model('a', ['b']), model('c')];
    assert.equal(lookup(models, 'b')?.id, 'a');
    assert.equal(lookup(models, 'c')?.id, 'c');
    assert.equal(lookup(models, 'd'), undefined);
  });

  it('replaces a model that left by the newest of its family, minor versions counted', () => {
    const models = [model('claude-opus-4-1'), model('x', ['claude-opus-4-5']), model('claude-sonnet-4-6'), model('claude-opus-4'), model('other')];
    assert.equal(replacementFor(models, 'claude-opus-4-0')?.id, 'x');
    assert.equal(replacementFor(models, 'anthropic/claude-sonnet-3-7')?.id, 'claude-sonnet-4-6');
    assert.equal(replacementFor(models, 'claude-haiku-4-5'), undefined);
    assert.equal(replacementFor(models, 'gpt-4'), undefined);
  });

  it('hands models.ts the catalogue\'s limits, keeping built-in rules for known ids', () => {
    useCatalogueForRequests([
      { ...model('vendor/opus', ['claude-opus-4-7']), name: 'Opus', maxOutput: 100_000, contextWindow: 900_000 },
      { ...model('claude-new-1'), name: 'New', maxOutput: 5000 },
      { ...model('mystery'), name: 'Mystery' },
    ]);
    assert.deepEqual(findModel('claude-opus-4-7'), { id: 'claude-opus-4-7', label: 'Opus', family: 'opus', acceptsSampling: false, defaultMaxTokens: 100_000 });
    assert.deepEqual(findModel('vendor/opus'), { id: 'vendor/opus', label: 'Opus', family: 'opus', acceptsSampling: false, defaultMaxTokens: 100_000 });
    assert.deepEqual(findModel('claude-new-1'), { id: 'claude-new-1', label: 'New', family: 'sonnet', acceptsSampling: true, defaultMaxTokens: 5000 });
    assert.equal(findModel('mystery')?.family, 'sonnet');
    assert.equal(contextWindowTokens('claude-opus-4-7'), 900_000);
    assert.equal(contextWindowTokens('unknown'), 200_000);
  });
});

describe('catalogue fetch: exact', () => {
  const answering = (body: ConstructorParameters<typeof Response>[0], init: ResponseInit = {}) => {
    const urls: string[] = [];
    const fetch = (async (url: string, options: RequestInit) => {
      urls.push(url);
      assert.deepEqual(options.headers, { accept: 'application/json' });
      return new Response(body, init);
    }) as unknown as typeof globalThis.fetch;
    return { fetch, urls };
  };

  it('asks {base}/models without /v1 and trailing slashes, and returns the text', async () => {
    for (const base of ['https://api.example/v1', 'https://api.example/v1/', 'https://api.example//']) {
      const { fetch, urls } = answering('{"data":[]}');
      assert.equal(await fetchCatalogueText(base, { fetch }), '{"data":[]}');
      assert.deepEqual(urls, ['https://api.example/models']);
    }
    assert.equal(await fetchCatalogueText('https://a', { fetch: answering(null).fetch }), '');
  });

  it('refuses an HTTP error, a declared or actual size past the limit, and a failed connection', async () => {
    await assert.rejects(fetchCatalogueText('https://a', { fetch: answering('x', { status: 503 }).fetch }), { message: 'the catalogue answered HTTP 503' });
    await assert.rejects(fetchCatalogueText('https://a', { fetch: answering('12345', { headers: { 'content-length': '5' } }).fetch, maxBytes: 4 }), { message: 'the catalogue is larger than 4 bytes' });
    await assert.rejects(fetchCatalogueText('https://a', { fetch: answering('12345').fetch, maxBytes: 4 }), { message: 'the catalogue is larger than 4 bytes' });
    assert.equal(await fetchCatalogueText('https://a', { fetch: answering('1234').fetch, maxBytes: 4 }), '1234');
    const failing = (async () => { throw new Error('refused'); }) as unknown as typeof fetch;
    await assert.rejects(fetchCatalogueText('https://a', { fetch: failing }), (error: unknown) => error instanceof CatalogueError && error.message === 'the catalogue could not be reached (refused)');
  });

  it('says when the body breaks off, and decodes characters split across chunks', async () => {
    const bytes = new TextEncoder().encode('"é"');
    const split = new ReadableStream<Uint8Array>({ start(c) { c.enqueue(bytes.subarray(0, 2)); c.enqueue(bytes.subarray(2)); c.close(); } });
    assert.equal(await fetchCatalogueText('https://a', { fetch: answering(split).fetch }), '"é"');
    const broken = new ReadableStream<Uint8Array>({ start(c) { c.enqueue(bytes); c.error(new Error('reset')); } });
    await assert.rejects(fetchCatalogueText('https://a', { fetch: answering(broken).fetch }), { message: 'reading the catalogue failed (reset)' });
  });
});

describe('catalogue entries at their edges: exact', () => {
  const served = (entry: Record<string, unknown>) => parse([{ id: 'claude-anchor-1', endpoints: ['/v1/messages'] }, entry]).map((m) => m.id).filter((id) => id !== 'claude-anchor-1');

  it('endpoint paths match with any number of trailing slashes; an empty endpoint list serves nothing', () => {
    assert.deepEqual(served({ id: 'x', endpoints: ['/v1/chat', '/v1/messages//'] }), ['x']);
    assert.deepEqual(served({ id: 'claude-y-1', type: 'messages', endpoints: [] }), []);
    assert.deepEqual(served({ id: 'z', endpoints: ['/v1/messages/extra'] }), []);
  });

  it('without endpoints: a claude- id (after a vendor prefix) and a messages type, or a chat type by Anthropic in any case', () => {
    assert.deepEqual(served({ id: 'claude-a-1', type: 'anthropic/messages' }), ['claude-a-1']);
    assert.deepEqual(served({ id: 'v/claude-b-1', type: 'chat', info: { developer: 'ANTHROPIC PBC' } }), ['v/claude-b-1']);
    assert.deepEqual(served({ id: 'claude-c-1', type: 'chat' }), []);
    assert.deepEqual(served({ id: 'claude-d-1', type: 'completion', info: { developer: 'Anthropic' } }), []);
    assert.deepEqual(served({ id: 'xclaude-e-1', type: 'messages' }), []);
    assert.deepEqual(served({ id: 'claude-f-1', info: { developer: 'Anthropic' } }), []);
  });

  it('a field past its bound is dropped, or skips the entry when it is the id', () => {
    const one = (entry: Record<string, unknown>) => parse([{ endpoints: ['/v1/messages'], ...entry }])[0];
    assert.equal(one({ id: 'claude-g-1', info: { contextLength: 100_000_000 } }).contextWindow, 100_000_000);
    assert.equal(one({ id: 'claude-g-1', info: { contextLength: 100_000_001 } }).contextWindow, 200_000);
    assert.equal(one({ id: 'claude-g-1', info: { outputMax: 0, maxTokens: 7 } }).maxOutput, 7);
    assert.equal(one({ id: 'claude-g-1', info: { name: 'n'.repeat(200) } }).name, 'n'.repeat(200));
    assert.equal(one({ id: 'claude-g-1', info: { name: 'n'.repeat(201) } }).name, 'claude-g-1');
    assert.deepEqual(one({ id: 'claude-g-1', aliases: Array.from({ length: 50 }, (_, i) => `a${i}`) }).aliases.length, 50);
    assert.deepEqual(one({ id: 'claude-g-1', aliases: Array.from({ length: 51 }, (_, i) => `a${i}`) }).aliases, []);
    assert.deepEqual(one({ id: 'claude-g-1', aliases: ['a'.repeat(201)] }).aliases, []);
    assert.equal(one({ id: 'c'.repeat(200) }).id, 'c'.repeat(200));
    refuses(() => parse([{ id: 'c'.repeat(201), endpoints: ['/v1/messages'] }]), 'the catalogue lists no Claude model served on /v1/messages');
    // 51 endpoints are dropped as a whole, so the entry is judged by its id and type instead.
    const many = Array.from({ length: 51 }, () => '/v1/messages');
    assert.deepEqual(served({ id: 'claude-h-1', endpoints: many, type: 'messages' }), ['claude-h-1']);
    assert.deepEqual(served({ id: 'h', endpoints: many }), []);
  });

  it('capability lists: bounded, case-insensitive, an empty one means everything', () => {
    const caps = (entry: Record<string, unknown>) => parse([{ id: 'claude-k-1', endpoints: ['/v1/messages'], ...entry }])[0].capabilities;
    assert.deepEqual(caps({ capabilities: ['TOOL_USE'] }), { tools: true, images: false, thinking: false });
    assert.deepEqual(caps({ capabilities: ['Function-Calling', 'IMAGE-input'] }), { tools: true, images: true, thinking: false });
    assert.deepEqual(caps({ capabilities: ['Reasoning'] }), { tools: false, images: false, thinking: true });
    assert.deepEqual(caps({ capabilities: ['Vision', 'THINKING'] }), { tools: false, images: true, thinking: true });
    assert.deepEqual(caps({ capabilities: [], features: ['vision'] }), { tools: true, images: true, thinking: true });
    assert.deepEqual(caps({ capabilities: Array.from({ length: 100 }, () => 'vision') }), { tools: false, images: true, thinking: false });
    assert.deepEqual(caps({ capabilities: Array.from({ length: 101 }, () => 'vision') }), { tools: true, images: true, thinking: true });
    assert.deepEqual(caps({ features: Array.from({ length: 200 }, () => 'vision') }), { tools: false, images: true, thinking: false });
    assert.deepEqual(caps({ features: Array.from({ length: 201 }, () => 'vision') }), { tools: true, images: true, thinking: true });
  });

  it('a body of exactly the size limit and exactly 5000 entries is read', () => {
    const body = JSON.stringify({ data: [{ id: 'claude-l-1', endpoints: ['/v1/messages'] }] });
    assert.equal(parseCatalogue(body + ' '.repeat(4 * 1024 * 1024 - body.length)).length, 1);
    const full = [...Array.from({ length: 4999 }, () => ({})), { id: 'claude-m-1', endpoints: ['/v1/messages'] }];
    assert.equal(full.length, 5000);
    assert.equal(parseCatalogue(JSON.stringify(full)).length, 1);
  });

  it('the built-in table in the same shape', () => {
    const models = builtInModels();
    assert.ok(models.length > 0);
    const [first] = models;
    const table = listModels()[0];
    assert.deepEqual(first, { id: table.id, name: table.label, contextWindow: 200_000, maxOutput: table.defaultMaxTokens, capabilities: { tools: true, images: true, thinking: true }, aliases: [], source: 'builtin' });
    assert.deepEqual(models.map((m) => m.id), listModels().map((m) => m.id));
  });

  it('versions with a dot count like a dash; a family with no candidate has no replacement', () => {
    const models = [model('claude-sonnet-4.5'), model('claude-sonnet-4-1'), model('claude-haiku-3')];
    assert.equal(replacementFor(models, 'claude-sonnet-4-0')?.id, 'claude-sonnet-4.5');
    assert.equal(replacementFor(models, 'claude-haiku-4-5')?.id, 'claude-haiku-3');
    assert.equal(replacementFor([model('claude-opus-4'), model('claude-opus-4-1')], 'claude-opus-3')?.id, 'claude-opus-4-1');
  });

  it('the cache file shape: one version, at least one model', () => {
    const cached = { version: 1, baseUrl: 'https://a', fetchedAt: 5, models: [{ id: 'm', name: 'M', maxOutput: 1, capabilities: { tools: true, images: false, thinking: false }, aliases: [], source: 'catalogue' }] };
    assert.equal(CatalogueCache.safeParse(cached).success, true);
    assert.equal(CatalogueCache.safeParse({ ...cached, version: 2 }).success, false);
    assert.equal(CatalogueCache.safeParse({ ...cached, models: [] }).success, false);
    assert.equal(CatalogueCache.safeParse({ ...cached, models: [{ ...cached.models[0], source: 'elsewhere' }] }).success, false);
    assert.equal(CatalogueCache.safeParse({ ...cached, models: [{ ...cached.models[0], contextWindow: 'big' }] }).success, false);
    assert.equal(CATALOGUE_MAX_AGE_MS, 24 * 60 * 60 * 1000);
  });
});

describe('catalogue: the remaining edges, exact', () => {
  afterEach(() => {
    registerCatalogueLookup(() => undefined);
    registerContextWindowLookup(() => undefined);
  });

  it('major versions of two digits and version 0 count', () => {
    assert.equal(replacementFor([model('claude-sonnet-9-9'), model('claude-sonnet-10')], 'claude-sonnet-4-6')?.id, 'claude-sonnet-10');
    assert.equal(replacementFor([model('claude-sonnet-9'), model('claude-sonnet-10-1')], 'claude-sonnet-4-6')?.id, 'claude-sonnet-10-1');
    assert.equal(replacementFor([model('claude-haiku-0')], 'claude-haiku-4-5')?.id, 'claude-haiku-0');
  });

  it('an id the catalogue does not list falls back to the built-in table; an alias keeps its own built-in rules', () => {
    useCatalogueForRequests([{ ...model('claude-opus-4-7', ['claude-sonnet-4-6']), name: 'Both', maxOutput: 1234 }]);
    assert.equal(findModel('claude-haiku-4-5')?.id, 'claude-haiku-4-5');
    assert.equal(findModel('nothing-like-it'), undefined);
    assert.deepEqual(findModel('claude-sonnet-4-6'), { id: 'claude-sonnet-4-6', label: 'Both', family: 'sonnet', acceptsSampling: true, defaultMaxTokens: 1234 });
    assert.equal(findModel('claude-opus-4-7')?.acceptsSampling, false);
  });

  it('only a trailing /v1 is removed from the base', async () => {
    const urls: string[] = [];
    const fetch = (async (url: string) => { urls.push(url); return new Response('[]'); }) as unknown as typeof globalThis.fetch;
    await fetchCatalogueText('https://api.example/v1/gateway', { fetch });
    await fetchCatalogueText('https://api.example/v1beta', { fetch });
    assert.deepEqual(urls, ['https://api.example/v1/gateway/models', 'https://api.example/v1beta/models']);
  });

  it('an error status or a declared size past the limit without a body is refused the same way', async () => {
    const empty = (init: ResponseInit) => (async () => new Response(null, init)) as unknown as typeof globalThis.fetch;
    await assert.rejects(fetchCatalogueText('https://a', { fetch: empty({ status: 503 }) }), (error: unknown) => error instanceof CatalogueError && error.message === 'the catalogue answered HTTP 503');
    await assert.rejects(fetchCatalogueText('https://a', { fetch: empty({ headers: { 'content-length': '5' } }), maxBytes: 4 }), (error: unknown) => error instanceof CatalogueError && error.message === 'the catalogue is larger than 4 bytes');
  });

  it('the cache file\'s models: built-in ones too, with boolean capabilities', () => {
    const entry = { id: 'm', name: 'M', maxOutput: 1, capabilities: { tools: true, images: false, thinking: false }, aliases: [], source: 'builtin' };
    const cached = { version: 1, baseUrl: 'https://a', fetchedAt: 5, models: [entry] };
    assert.equal(CatalogueCache.safeParse(cached).success, true);
    assert.equal(CatalogueCache.safeParse({ ...cached, models: [{ ...entry, capabilities: { tools: 'yes', images: false, thinking: false } }] }).success, false);
    assert.equal(CatalogueCache.safeParse({ ...cached, models: [{ ...entry, capabilities: {} }] }).success, false);
  });
});
