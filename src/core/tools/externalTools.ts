// Tools of other extensions, of VS Code itself and of MCP servers (VS Code's `vscode.lm.tools`),
// restated as plain data so the mapping to the Messages API stays pure: which ones the user chose
// (aimlChat.tools.vscodeTools), their names under the API's rules, their schemas in a shape the API
// accepts. The host lists and calls them (src/host/tools/vscodeLmTools.ts).
import type { ApiToolDefinition } from '../api/types';

/** One tool as VS Code lists it (LanguageModelToolInformation). */
export interface ExternalToolInfo {
  name: string;
  description: string;
  inputSchema?: object;
  tags: readonly string[];
}

/** A part of an external tool's result, as plain data. */
export type ExternalResultPart =
  | { kind: 'text'; text: string }
  | { kind: 'data'; mimeType: string; data: Uint8Array }
  /** Anything else (a prompt-tsx part, a future part type): its JSON form when it has one. */
  | { kind: 'other'; value: unknown };

export interface ExternalInvokeOptions {
  signal: AbortSignal;
  /** VS Code's chat-request token: VS Code then shows its own confirmation where the tool has one. */
  invocationToken?: unknown;
}

/** The host's side: what VS Code lists now, and a call to one of them by its own name. */
export interface ExternalToolSource {
  list(): readonly ExternalToolInfo[];
  invoke(name: string, input: object, options: ExternalInvokeOptions): Promise<ExternalResultPart[]>;
}

export const API_TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const MAX_NAME = 64;
/** Descriptions are sent with every request; a long one costs tokens each time. */
export const MAX_DESCRIPTION = 1024;

/**
 * True when `name` is chosen by one of the user's entries: an exact tool name, or a prefix ending
 * in `*` (`mcp_everything_*` for one MCP server's tools, `*` for all of them).
 */
export function isChosen(name: string, choices: readonly string[]): boolean {
  return choices.some((choice) => {
    if (typeof choice !== 'string' || choice.trim() === '') return false;
    const c = choice.trim();
    return c.endsWith('*') ? name.startsWith(c.slice(0, -1)) : name === c;
  });
}

/** Code-point order of tool names; equal names keep the order VS Code listed them in (sort is stable). */
function byName(a: ExternalToolInfo, b: ExternalToolInfo): number {
  if (a.name < b.name) return -1;
  // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent under V8 (VS Code's engine), whose sort only asks whether the result is below 0.
  return a.name > b.name ? 1 : 0;
}

/** FNV-1a, 32 bits: a short stable suffix that tells two rewritten names apart. */
function shortHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0').slice(0, 6);
}

/**
 * The name the model sees. A valid name that is not one of ours stays as it is; any other gets its
 * invalid characters replaced and a hash of the original appended, so the same tool keeps the same
 * API name from one request to the next whatever else is listed (a set-dependent counter could
 * shift when an MCP server starts between a request and the model's call).
 */
export function apiToolName(name: string, reserved: ReadonlySet<string>): string {
  if (API_TOOL_NAME.test(name) && !reserved.has(name)) return name;
  const suffix = `_${shortHash(name)}`;
  const cleaned = name.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, MAX_NAME - suffix.length) || 'tool';
  return cleaned + suffix;
}

/** The chosen tools under their API names, and the way back from an API name to the tool. */
export class ExternalToolTable {
  private readonly byApiName = new Map<string, ExternalToolInfo>();

  /** `reserved`: names already taken in the request (our own tools). */
  constructor(tools: readonly ExternalToolInfo[], choices: readonly string[], reserved: ReadonlySet<string>) {
    const taken = new Set(reserved);
    const chosen = tools.filter((tool) => isChosen(tool.name, choices)).sort(byName);
    for (const tool of chosen) {
      const base = apiToolName(tool.name, taken);
      // Two rewritten names with the same hash (or a real name equal to a rewritten one): a counter
      // on the name (`_2`, else `_3`, never `_2_3`), cut so the whole stays within MAX_NAME.
      let apiName = base;
      for (let n = 2; taken.has(apiName); n++) apiName = `${base.slice(0, MAX_NAME - String(n).length - 1)}_${n}`;
      taken.add(apiName);
      this.byApiName.set(apiName, tool);
    }
  }

  get size(): number { return this.byApiName.size; }

  /** The tool the model means by `apiName`, or undefined. */
  tool(apiName: string): ExternalToolInfo | undefined { return this.byApiName.get(apiName); }

  definitions(): ApiToolDefinition[] {
    return [...this.byApiName].map(([name, tool]) => ({ name, description: toolDescription(tool), input_schema: toInputSchema(tool.inputSchema) }));
  }
}

export function toolDescription(tool: ExternalToolInfo): string {
  const text = (tool.description || '').trim() || `The tool ${tool.name}.`;
  return text.length <= MAX_DESCRIPTION ? text : `${text.slice(0, MAX_DESCRIPTION - 1)}…`;
}

const EMPTY_OBJECT_SCHEMA = { type: 'object', properties: {} };
/** Keywords the API refuses at the top of an input_schema (it wants one plain object schema). */
const TOP_LEVEL_DROPPED = ['$schema', '$id', 'oneOf', 'anyOf', 'allOf', 'not', 'if', 'then', 'else'];
/** A schema larger than this is sent as an open object: the tool validates its own input. */
export const MAX_SCHEMA_CHARS = 32_000;

/**
 * An input_schema the API accepts: an object schema (tools without parameters often declare none),
 * as plain JSON (no functions, cycles or undefined), without the top-level keywords the API
 * refuses, and not larger than MAX_SCHEMA_CHARS.
 */
export function toInputSchema(schema: unknown): Record<string, unknown> {
  let json: unknown;
  try {
    const text = JSON.stringify(schema);
    // Stryker disable next-line ConditionalExpression: without the undefined check JSON.parse(undefined) throws and the catch returns the same open schema.
    if (text === undefined || text.length > MAX_SCHEMA_CHARS) return { ...EMPTY_OBJECT_SCHEMA };
    json = JSON.parse(text);
    // Stryker disable next-line BlockStatement: an empty catch leaves json undefined, which the next check turns into the same open schema.
  } catch {
    return { ...EMPTY_OBJECT_SCHEMA };
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) return { ...EMPTY_OBJECT_SCHEMA };
  const out = json as Record<string, unknown>;
  if (out.type !== undefined && out.type !== 'object') return { ...EMPTY_OBJECT_SCHEMA };
  for (const key of TOP_LEVEL_DROPPED) delete out[key];
  out.type = 'object';
  if (!out.properties || typeof out.properties !== 'object' || Array.isArray(out.properties)) out.properties = {};
  // Stryker disable next-line ConditionalExpression: deleting a "required" that is not there changes nothing.
  if (out.required !== undefined && !(Array.isArray(out.required) && out.required.every((r) => typeof r === 'string'))) delete out.required;
  return out;
}
