// The gateway's model catalogue (GET /models, no key; docs/API-NOTES.md "Model catalogue"): which
// Claude models it serves on /v1/messages, with their name, context window and output limit. The
// built-in table (models.ts) is the offline fallback; a catalogue model the built-in rules do not
// know gets the default request shape. Parsing is strict about size and shape: a bad or huge body
// never replaces the last good list, and says why.
import * as z from '../../shared/zod';
import { listModels, findBuiltInModel, registerCatalogueLookup, registerContextWindowLookup } from './models';
import type { ModelInfo as BuiltInModel } from '../../shared/model';

/** What the chat core and the language-model provider read about a model. */
export interface ModelInfo {
  id: string;
  name: string;
  /** Tokens of context; undefined when neither the catalogue nor the built-in table says. */
  contextWindow?: number;
  /** Largest max_tokens the model accepts. */
  maxOutput: number;
  capabilities: { tools: boolean; images: boolean; thinking: boolean };
  /** Other ids the gateway accepts for the same model. */
  aliases: string[];
  source: 'catalogue' | 'builtin';
}

/** The small interface the chat core and the LM provider read. */
export interface ModelCatalogue {
  models(): ModelInfo[];
}

export const MAX_CATALOGUE_BYTES = 4 * 1024 * 1024;
const MAX_ENTRIES = 5_000;
const DEFAULT_CONTEXT_WINDOW = 200_000;

const positiveInt = z.int().check(z.positive(), z.lte(100_000_000));
/** An optional field whose bad value is dropped rather than failing the whole entry. */
const tolerant = <T extends z.ZodMiniType>(schema: T) => z.catch(z.optional(schema), undefined);
const shortString = z.string().check(z.maxLength(200));
const Entry = z.looseObject({
  id: z.string().check(z.minLength(1), z.maxLength(200)),
  aliases: tolerant(z.array(shortString).check(z.maxLength(50))),
  type: tolerant(shortString),
  endpoints: tolerant(z.array(z.string()).check(z.maxLength(50))),
  info: tolerant(z.looseObject({
    name: tolerant(shortString),
    developer: tolerant(shortString),
    contextLength: tolerant(positiveInt),
    // The current docs call it outputMax; the older ones maxTokens.
    outputMax: tolerant(positiveInt),
    maxTokens: tolerant(positiveInt),
  })),
  capabilities: tolerant(z.array(z.string()).check(z.maxLength(100))),
  features: tolerant(z.array(z.string()).check(z.maxLength(200))),
});
type Entry = z.infer<typeof Entry>;

export class CatalogueError extends Error {}

/** Whether an entry is a Claude model served on /v1/messages (the list also holds other vendors' models). */
function servedOnMessages(entry: Entry): boolean {
  if (entry.endpoints?.some((e) => e.replace(/\/+$/, '') === '/v1/messages')) return true;
  if (entry.endpoints) return false;
  const type = entry.type ?? '';
  const claude = [entry.id, ...(entry.aliases ?? [])].some((id) => /(^|\/)claude-/.test(id));
  return claude && (/messages/.test(type) || (/chat/.test(type) && /anthropic/i.test(entry.info?.developer ?? '')));
}

function capabilitiesOf(entry: Entry): ModelInfo['capabilities'] {
  const listed = entry.capabilities ?? entry.features;
  // Every Claude 4 model on /v1/messages takes tools, images and thinking; a list narrows that.
  if (!listed || listed.length === 0) return { tools: true, images: true, thinking: true };
  const has = (pattern: RegExp) => listed.some((c) => pattern.test(c));
  return { tools: has(/tool|function/i), images: has(/vision|image/i), thinking: has(/reason|thinking/i) };
}

/** Parses a /models body: the documented `{object: "list", data: [...]}` or a bare array. */
export function parseCatalogue(text: string): ModelInfo[] {
  if (text.length > MAX_CATALOGUE_BYTES) throw new CatalogueError(`the catalogue is larger than ${MAX_CATALOGUE_BYTES} bytes`);
  let json: unknown;
  try { json = JSON.parse(text); } catch { throw new CatalogueError('the catalogue is not JSON'); }
  const list = Array.isArray(json) ? json : (json as { data?: unknown } | null)?.data;
  if (!Array.isArray(list)) throw new CatalogueError('the catalogue has no list of models (expected {data: [...]})');
  if (list.length > MAX_ENTRIES) throw new CatalogueError(`the catalogue lists ${list.length} entries, more than ${MAX_ENTRIES}`);
  const models: ModelInfo[] = [];
  const seen = new Set<string>();
  for (const raw of list) {
    const parsed = Entry.safeParse(raw);
    if (!parsed.success || !servedOnMessages(parsed.data)) continue;
    const entry = parsed.data;
    if (seen.has(entry.id)) continue;
    seen.add(entry.id);
    const builtIn = [entry.id, ...(entry.aliases ?? [])].map(findBuiltInModel).find(Boolean);
    const maxOutput = entry.info?.outputMax ?? entry.info?.maxTokens ?? builtIn?.defaultMaxTokens ?? 64_000;
    models.push({
      id: entry.id,
      name: entry.info?.name?.trim() || builtIn?.label || entry.id,
      contextWindow: entry.info?.contextLength ?? DEFAULT_CONTEXT_WINDOW,
      maxOutput,
      capabilities: capabilitiesOf(entry),
      aliases: (entry.aliases ?? []).filter((a) => a !== entry.id),
      source: 'catalogue',
    });
  }
  if (models.length === 0) throw new CatalogueError('the catalogue lists no Claude model served on /v1/messages');
  return models;
}

/** The built-in table in the same shape (the offline fallback). */
export function builtInModels(): ModelInfo[] {
  return listModels().map((m) => ({
    id: m.id, name: m.label, contextWindow: DEFAULT_CONTEXT_WINDOW, maxOutput: m.defaultMaxTokens,
    capabilities: { tools: true, images: true, thinking: true }, aliases: [], source: 'builtin' as const,
  }));
}

/** Finds a model by id or alias. */
export function lookup(models: readonly ModelInfo[], id: string): ModelInfo | undefined {
  return models.find((m) => m.id === id || m.aliases.includes(id));
}

const FAMILY = /claude-(opus|sonnet|haiku)-(\d+)(?:[-.](\d))?/;

/**
 * For a chosen model that left the catalogue: the newest catalogue model of the same family
 * (opus, sonnet, haiku), if any.
 */
export function replacementFor(models: readonly ModelInfo[], id: string): ModelInfo | undefined {
  const family = FAMILY.exec(id)?.[1];
  if (!family) return undefined;
  const version = (m: ModelInfo) => {
    const match = FAMILY.exec([m.id, ...m.aliases].find((x) => FAMILY.test(x)) ?? '');
    return match && match[1] === family ? Number(`${match[2]}.${match[3] ?? 0}`) : -1;
  };
  return [...models].filter((m) => version(m) >= 0).sort((a, b) => version(b) - version(a))[0];
}

/**
 * Tells models.ts about the catalogue: a catalogue-only id becomes a known model with the default
 * request shape (temperature accepted) and the catalogue's output limit; a known id keeps its
 * built-in rules, with the catalogue's output limit when it gives one.
 */
export function useCatalogueForRequests(models: readonly ModelInfo[]): void {
  registerContextWindowLookup((id) => lookup(models, id)?.contextWindow);
  registerCatalogueLookup((id) => {
    const entry = lookup(models, id);
    if (!entry) return undefined;
    const builtIn = findBuiltInModel(id) ?? findBuiltInModel(entry.id) ?? entry.aliases.map(findBuiltInModel).find(Boolean);
    const family = (FAMILY.exec(id)?.[1] ?? builtIn?.family ?? 'sonnet') as BuiltInModel['family'];
    return {
      id,
      label: entry.name,
      family,
      acceptsSampling: builtIn?.acceptsSampling ?? true,
      defaultMaxTokens: entry.maxOutput,
    };
  });
}

export interface FetchCatalogueOptions {
  fetch?: typeof fetch;
  signal?: AbortSignal;
  timeoutMs?: number;
  maxBytes?: number;
}

/**
 * GET {baseUrl}/models without a key (the catalogue is public). The read stops past `maxBytes`,
 * so a huge or endless body costs at most that much memory.
 */
export async function fetchCatalogueText(baseUrl: string, options: FetchCatalogueOptions = {}): Promise<string> {
  const base = baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '');
  const maxBytes = options.maxBytes ?? MAX_CATALOGUE_BYTES;
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 30_000);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(`${base}/models`, { headers: { accept: 'application/json' }, signal });
  } catch (error) {
    throw new CatalogueError(timeout.aborted ? 'the catalogue did not answer in time' : `the catalogue could not be reached (${(error as Error).message})`);
  }
  if (!response.ok) {
    void response.body?.cancel().catch(() => undefined);
    throw new CatalogueError(`the catalogue answered HTTP ${response.status}`);
  }
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) {
    void response.body?.cancel().catch(() => undefined);
    throw new CatalogueError(`the catalogue is larger than ${maxBytes} bytes`);
  }
  const reader = response.body?.getReader();
  if (!reader) return '';
  const decoder = new TextDecoder();
  const parts: string[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) throw new CatalogueError(`the catalogue is larger than ${maxBytes} bytes`);
      parts.push(decoder.decode(value, { stream: true }));
    }
  } catch (error) {
    void reader.cancel().catch(() => undefined);
    if (error instanceof CatalogueError) throw error;
    throw new CatalogueError(timeout.aborted ? 'the catalogue did not answer in time' : `reading the catalogue failed (${(error as Error).message})`);
  }
  parts.push(decoder.decode());
  return parts.join('');
}

/** The cache file in global storage: the last good list, where it came from and when. */
export const CatalogueCache = z.object({
  version: z.literal(1),
  baseUrl: z.string(),
  fetchedAt: z.number(),
  models: z.array(z.object({
    id: z.string(), name: z.string(), contextWindow: z.optional(z.number()), maxOutput: z.number(),
    capabilities: z.object({ tools: z.boolean(), images: z.boolean(), thinking: z.boolean() }),
    aliases: z.array(z.string()), source: z.enum(['catalogue', 'builtin']),
  })).check(z.minLength(1)),
});
export type CatalogueCache = z.infer<typeof CatalogueCache>;

export const CATALOGUE_MAX_AGE_MS = 24 * 60 * 60 * 1000;
