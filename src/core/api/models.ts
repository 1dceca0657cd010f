// The model catalogue (the 36 ids of the seed schema's enum) and the request rules the API really
// enforces, checked before sending so the user reads a clear sentence instead of a 400.
// Two request shapes exist: the Claude Opus 4.7 ids take no temperature/top_p/top_k and allow
// 128000 output tokens; every other id takes them and allows 64000.
import type { ModelInfo } from '../../shared/model';
import type { MessagesRequest } from './types';

export const MODEL_IDS = [
  'claude-opus-4-1-20250805', 'anthropic/claude-opus-4-1-20250805', 'claude-opus-4-20250514', 'anthropic/claude-opus-4-20250514',
  'claude-sonnet-4-20250514', 'anthropic/claude-sonnet-4-20250514', 'claude-sonnet-4-5-20250929', 'anthropic/claude-sonnet-4-5-20250929',
  'claude-haiku-4-5-20251001', 'anthropic/claude-haiku-4-5-20251001', 'claude-opus-4-5-20251101', 'anthropic/claude-opus-4-5-20251101',
  'claude-opus-4-6', 'anthropic/claude-opus-4-6', 'claude-sonnet-4-6', 'anthropic/claude-sonnet-4-6',
  'claude-sonnet-4-latest', 'anthropic/claude-sonnet-4', 'claude-opus-4-latest', 'anthropic/claude-opus-4',
  'claude-opus-4-1-latest', 'claude-opus-4-1', 'anthropic/claude-opus-4.1', 'anthropic/claude-opus-4.1-20250805',
  'anthropic/claude-sonnet-4.5', 'claude-sonnet-4-5', 'anthropic/claude-haiku-4.5', 'claude-haiku-4-5',
  'anthropic/claude-opus-4-5', 'claude-opus-4-5', 'anthropic/claude-opus-4.5', 'anthropic/claude-sonnet-4.6',
  'anthropic/claude-sonnet-4-6-20260218',
  'claude-opus-4-7', 'anthropic/claude-opus-4-7', 'anthropic/claude-opus-4.7',
] as const;

export const DEFAULT_MODEL_ID = 'claude-sonnet-4-6';
const NO_SAMPLING_IDS = new Set(['claude-opus-4-7', 'anthropic/claude-opus-4-7', 'anthropic/claude-opus-4.7']);
export const MIN_THINKING_BUDGET = 1024;

/** The same model under its several ids is listed once, in this order; the rest follow by version. */
const RECOMMENDED_ORDER = ['sonnet 4.6', 'opus 4.7', 'haiku 4.5', 'opus 4.6', 'sonnet 4.5', 'opus 4.5'];
const FAMILY_ORDER = { sonnet: 0, opus: 1, haiku: 2 } as const;

interface ParsedId { family: ModelInfo['family']; version: string; date?: string; prefixed: boolean; latest: boolean }

const ID_PATTERN = /^(anthropic\/)?claude-(opus|sonnet|haiku)-(\d+)(?:[-.](\d))?(?:-(\d{8}|latest))?$/;

function parseId(id: string): ParsedId | undefined {
  const match = ID_PATTERN.exec(id);
  if (!match) return undefined;
  const [, prefix, family, major, minor, suffix] = match;
  return {
    family: family as ModelInfo['family'],
    version: minor ? `${major}.${minor}` : major,
    date: suffix && suffix !== 'latest' ? suffix : undefined,
    prefixed: Boolean(prefix),
    latest: suffix === 'latest',
  };
}

function capitalize(word: string): string { return word.charAt(0).toUpperCase() + word.slice(1); }

function describe(id: string): ModelInfo {
  const parsed = parseId(id);
  if (!parsed) throw new Error(`model id "${id}" does not follow the Claude naming scheme`);
  const date = parsed.date ? ` (${parsed.date.slice(0, 4)}-${parsed.date.slice(4, 6)}-${parsed.date.slice(6)})` : '';
  const takesSampling = !NO_SAMPLING_IDS.has(id);
  return {
    id,
    label: `Claude ${capitalize(parsed.family)} ${parsed.version}${date}`,
    family: parsed.family,
    acceptsSampling: takesSampling,
    defaultMaxTokens: takesSampling ? 64_000 : 128_000,
  };
}

export const MODEL_CATALOGUE: ReadonlyMap<string, ModelInfo> = new Map(MODEL_IDS.map((id) => [id, describe(id)]));

export function findBuiltInModel(id: string): ModelInfo | undefined {
  return MODEL_CATALOGUE.get(id);
}

/** Set by catalogue.ts from the gateway's GET /models; the built-in table is the fallback. */
let catalogueLookup: (id: string) => ModelInfo | undefined = () => undefined;

export function registerCatalogueLookup(lookup: (id: string) => ModelInfo | undefined): void {
  catalogueLookup = lookup;
}

export function findModel(id: string): ModelInfo | undefined {
  return catalogueLookup(id) ?? MODEL_CATALOGUE.get(id);
}

/**
 * Whether a model takes temperature/top_p/top_k. The catalogue decides for its ids; an id it does
 * not know (a newer alias typed into the settings) follows the same naming rule as the catalogue.
 * The only place that decides it: the request builder, batch requests and validation ask here.
 */
export function modelAcceptsSampling(id: string): boolean {
  return findModel(id)?.acceptsSampling ?? !/opus-4[-.]7/.test(id);
}

/** Lower is preferred when one model has several ids: plain alias, then "-latest", then dated, then "anthropic/". */
function idPreference(parsed: ParsedId): number {
  return (parsed.prefixed ? 3 : 0) + (parsed.date ? 2 : parsed.latest ? 1 : 0);
}

/** One entry per model (aliases collapsed), recommended first, then newest first. */
export function listModels(): ModelInfo[] {
  const best = new Map<string, { info: ModelInfo; rank: number }>();
  for (const info of MODEL_CATALOGUE.values()) {
    const parsed = parseId(info.id)!;
    const key = `${parsed.family} ${parsed.version}`;
    const rank = idPreference(parsed);
    const current = best.get(key);
    if (!current || rank < current.rank) best.set(key, { info: { ...info, label: `Claude ${capitalize(parsed.family)} ${parsed.version}` }, rank });
  }
  const orderOf = (key: string) => {
    const recommended = RECOMMENDED_ORDER.indexOf(key);
    return recommended === -1 ? RECOMMENDED_ORDER.length : recommended;
  };
  return [...best.entries()]
    .sort(([a], [b]) => {
      const byRecommendation = orderOf(a) - orderOf(b);
      if (byRecommendation !== 0) return byRecommendation;
      const [familyA, versionA] = a.split(' ');
      const [familyB, versionB] = b.split(' ');
      return Number(versionB) - Number(versionA) || FAMILY_ORDER[familyA as ModelInfo['family']] - FAMILY_ORDER[familyB as ModelInfo['family']];
    })
    .map(([, entry]) => entry.info);
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

/** The catalogue id closest to a mistyped one. */
export function closestModelId(id: string): string {
  const wanted = id.trim().toLowerCase();
  let best: string = DEFAULT_MODEL_ID;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of MODEL_IDS) {
    const distance = editDistance(wanted, candidate);
    if (distance < bestDistance) { best = candidate; bestDistance = distance; }
  }
  return best;
}

const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

function contentIsEmpty(content: unknown): boolean {
  if (typeof content === 'string') return content.length === 0;
  return !Array.isArray(content) || content.length === 0;
}

/**
 * The problems the API would reject the request for, in words a user understands. Empty when the
 * request can be sent.
 */
export function validateRequest(request: MessagesRequest): string[] {
  const problems: string[] = [];
  const model = findModel(request.model);
  if (!model) problems.push(`The model "${request.model}" is not one the AI/ML API offers here. Did you mean "${closestModelId(request.model)}"?`);
  const name = model ? `${model.label.replace(/ \(.*\)$/, '')} (${model.id})` : `"${request.model}"`;

  const sampling = (['temperature', 'top_p', 'top_k'] as const).filter((key) => request[key] !== undefined && request[key] !== null);
  if (model && !model.acceptsSampling && sampling.length > 0) {
    problems.push(`${name} does not accept ${sampling.join(', ')}; remove ${sampling.length === 1 ? 'it' : 'them'} (leave temperature empty in the settings).`);
  } else {
    if (request.temperature != null && !(isNumber(request.temperature) && request.temperature >= 0 && request.temperature <= 1)) problems.push(`Temperature must be between 0 and 1 (it is ${String(request.temperature)}).`);
    if (request.top_p != null && !(isNumber(request.top_p) && request.top_p >= 0 && request.top_p <= 1)) problems.push(`top_p must be between 0 and 1 (it is ${String(request.top_p)}).`);
    if (request.top_k != null && !(isNumber(request.top_k) && request.top_k >= 0)) problems.push(`top_k must be 0 or more (it is ${String(request.top_k)}).`);
  }

  const maxTokens = request.max_tokens as unknown;
  const limit = model?.defaultMaxTokens;
  if (maxTokens === undefined || maxTokens === null) problems.push('Max tokens is missing; set aimlChat.maxTokens.');
  else if (!isNumber(maxTokens) || !Number.isInteger(maxTokens) || maxTokens < 1) problems.push(`Max tokens must be a whole number of at least 1 (it is ${String(maxTokens)}).`);
  else if (limit !== undefined && maxTokens > limit) problems.push(`Max tokens is ${maxTokens}, above the ${limit} that ${name} allows; lower aimlChat.maxTokens.`);

  const thinking = request.thinking;
  if (thinking?.type === 'enabled') {
    const budget = thinking.budget_tokens;
    if (!isNumber(budget) || !Number.isInteger(budget) || budget < MIN_THINKING_BUDGET) problems.push(`The thinking budget must be at least ${MIN_THINKING_BUDGET} tokens (it is ${String(budget)}).`);
    else if (isNumber(maxTokens) && budget >= maxTokens) problems.push(`The thinking budget (${budget}) must be less than max tokens (${maxTokens}); raise aimlChat.maxTokens or lower aimlChat.thinking.budgetTokens.`);
  }
  if (thinking && thinking.type !== 'disabled' && (!model || model.acceptsSampling)) {
    // With thinking on the API only takes the default sampling: temperature 1, no top_k, top_p >= 0.95.
    if (request.temperature != null && request.temperature !== 1) problems.push('Temperature cannot be changed while extended thinking is on; leave it empty or turn thinking off.');
    if (request.top_k != null) problems.push('top_k cannot be set while extended thinking is on.');
    if (request.top_p != null && isNumber(request.top_p) && request.top_p < 0.95) problems.push('top_p must be at least 0.95 while extended thinking is on.');
  }
  if (thinking && thinking.type !== 'disabled' && (request.tool_choice?.type === 'any' || request.tool_choice?.type === 'tool')) {
    problems.push('Extended thinking cannot be on while the request forces a tool call; turn thinking off or let the model choose.');
  }

  const messages = Array.isArray(request.messages) ? request.messages : [];
  if (messages.length === 0) problems.push('There is no message to send.');
  else {
    if (messages[0].role !== 'user') problems.push('The conversation must start with a user message.');
    messages.forEach((message, index) => {
      const isFinalAssistant = index === messages.length - 1 && message.role === 'assistant';
      if (!isFinalAssistant && contentIsEmpty(message.content)) problems.push(`Message ${index + 1} (${message.role}) is empty; only a final assistant message may be.`);
    });
  }

  if (request.tool_choice?.type === 'tool') {
    const wanted = request.tool_choice.name;
    if (!(request.tools ?? []).some((tool) => tool.name === wanted)) problems.push(`The request forces the tool "${wanted}", which is not among the tools sent.`);
  }
  return problems;
}

/** max_tokens for a request that has none: the model's own maximum. */
export function defaultMaxTokens(modelId: string): number {
  return findModel(modelId)?.defaultMaxTokens ?? 64_000;
}

/** Set by catalogue.ts: the context window the gateway's catalogue gives for a model, if any. */
let catalogueWindow: (id: string) => number | undefined = () => undefined;

export function registerContextWindowLookup(lookup: (id: string) => number | undefined): void {
  catalogueWindow = lookup;
}

/**
 * The context window of a model, in tokens: the gateway catalogue's figure when it lists the
 * model, else 200k, the window of every Claude model the gateway serves (the 1M window of some
 * models needs a beta header this extension does not send).
 */
export function contextWindowTokens(modelId: string): number {
  const fromCatalogue = catalogueWindow(modelId);
  return fromCatalogue !== undefined && Number.isFinite(fromCatalogue) && fromCatalogue > 0 ? fromCatalogue : 200_000;
}
