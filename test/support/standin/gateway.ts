// The gateway's service endpoints beside /v1/messages, as its public docs describe them
// (docs/API-NOTES.md): the model catalogue (GET /models and /v1/models, no key), the balance
// (GET /v2/billing, Bearer) and the tracing headers every response carries.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { newId } from './util';

/** Catalogue entries in the documented shape ({object: "list", data}); ids carried on /v1/messages. */
export interface CatalogueModel { id: string; name: string; contextLength: number; outputMax: number; aliases?: string[]; capabilities?: string[] }

/** A model the gateway serves that the seed schema's enum does not list (newer than the snapshot). */
export const CATALOGUE_ONLY_MODEL = 'anthropic/claude-sonnet-4.7';

export const STANDIN_CATALOGUE: readonly CatalogueModel[] = [
  { id: 'anthropic/claude-sonnet-4.6', name: 'Claude Sonnet 4.6', contextLength: 1_000_000, outputMax: 64_000, aliases: ['claude-sonnet-4-6'], capabilities: ['tools', 'vision', 'reasoning', 'streaming'] },
  { id: 'anthropic/claude-opus-4.7', name: 'Claude Opus 4.7', contextLength: 1_000_000, outputMax: 128_000, aliases: ['claude-opus-4-7'], capabilities: ['tools', 'vision', 'reasoning', 'streaming'] },
  { id: 'anthropic/claude-haiku-4.5', name: 'Claude Haiku 4.5', contextLength: 200_000, outputMax: 64_000, aliases: ['claude-haiku-4-5'], capabilities: ['tools', 'vision', 'streaming'] },
  { id: CATALOGUE_ONLY_MODEL, name: 'Claude Sonnet 4.7', contextLength: 1_000_000, outputMax: 32_000, capabilities: ['tools', 'vision', 'reasoning', 'streaming'] },
];

/** Every id and alias the catalogue serves on /v1/messages (the validator accepts them). */
export function catalogueModelIds(): string[] {
  return STANDIN_CATALOGUE.flatMap((m) => [m.id, ...(m.aliases ?? [])]);
}

export function catalogueBody(include: string | null): unknown {
  const withCapabilities = /\b(capabilities|all)\b/.test(include ?? '');
  const claude = STANDIN_CATALOGUE.map((m) => ({
    id: m.id,
    aliases: m.aliases ?? [],
    type: 'anthropic/messages',
    info: { name: m.name, developer: 'Anthropic', description: `${m.name} by Anthropic.`, contextLength: m.contextLength, outputMax: m.outputMax, url: '', docsUrl: '' },
    tags: ['playground:chat'],
    ...(withCapabilities ? { capabilities: m.capabilities ?? [] } : {}),
  }));
  // Other vendors' models share the list; the extension must skip them.
  const others = [
    { id: 'openai/gpt-4o', aliases: ['gpt-4o'], type: 'openai/chat-completions', info: { name: 'GPT-4o', developer: 'Open AI', contextLength: 128000, outputMax: 16384 }, tags: ['playground:chat'] },
    { id: 'openai/gpt-image-1', aliases: [], type: 'openai/image-generations', info: { name: 'GPT Image 1', developer: 'Open AI' }, tags: ['playground:image'] },
  ];
  return { object: 'list', data: [...claude, ...others] };
}

/** Adjustable by tests through the control endpoint: the balance and what /models answers. */
export interface GatewayState {
  balanceUsd: number;
  /** `null`: the normal catalogue; otherwise this raw body (bad or huge bodies in tests). */
  modelsBody: string | null;
  modelsStatus: number;
}

export function newGatewayState(): GatewayState {
  return { balanceUsd: 12.34, modelsBody: null, modelsStatus: 200 };
}

/** x-inference-id on every response; a valid X-Client-Request-Id is echoed, anything else dropped. */
export function setTracingHeaders(req: IncomingMessage, res: ServerResponse): string {
  const inferenceId = newId('inf_');
  res.setHeader('x-inference-id', inferenceId);
  const clientId = req.headers['x-client-request-id'];
  if (typeof clientId === 'string' && /^[A-Za-z0-9._:-]{1,128}$/.test(clientId)) res.setHeader('x-client-request-id', clientId);
  return inferenceId;
}

/** The cost headers of a non-streaming JSON answer (x-aimlapi-credits-used, x-aimlapi-usd-spent). */
export function costHeaders(message: unknown): Record<string, string> {
  const usage = (message as { meta?: { usage?: { usd_spent?: number; credits_used?: number } } }).meta?.usage;
  if (typeof usage?.usd_spent !== 'number') return {};
  return { 'x-aimlapi-usd-spent': usage.usd_spent.toFixed(9), 'x-aimlapi-credits-used': String(usage.credits_used ?? Math.round(usage.usd_spent * 1_000_000)) };
}
