// Loads the seed OpenAPI schema of POST /v1/messages (the project's copy under test/fixtures) and
// compiles one ajv validator per request shape. The schema is OpenAPI 3.0, so `nullable` is turned
// into JSON Schema before compiling (ajv refuses `nullable` without a `type`).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

const SCHEMA_RELATIVE_PATH = path.join('test', 'fixtures', 'api', 'messages-openapi.json');

export interface RequestShape {
  models: readonly string[];
  acceptsSampling: boolean;
  defaultMaxTokens: number;
  /** Compiled on first use: each branch's validator is about 0.5 MB of generated code. */
  readonly validate: ValidateFunction;
}

let cachedShapes: RequestShape[] | undefined;

function findSchemaFile(): string {
  const candidates: string[] = [];
  // Under tsx (CommonJS) __dirname is this folder; walking up finds the repository root.
  if (typeof __dirname === 'string') candidates.push(path.resolve(__dirname, '..', '..', '..', SCHEMA_RELATIVE_PATH));
  candidates.push(path.resolve(process.cwd(), SCHEMA_RELATIVE_PATH));
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) throw new Error(`AIML stand-in: seed schema not found (looked at ${candidates.join(', ')})`);
  return found;
}

/** OpenAPI 3.0 -> JSON Schema: `nullable: true` widens `type`; without a type it means "anything". */
export function openApiToJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(openApiToJsonSchema);
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
    if (key === 'nullable' || key === 'example' || key === 'examples') continue;
    // `properties` maps names to schemas; a property may be called "nullable" and must survive.
    if (key === 'properties' && value && typeof value === 'object') {
      out[key] = Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([name, schema]) => [name, openApiToJsonSchema(schema)]));
    } else {
      out[key] = openApiToJsonSchema(value);
    }
  }
  const record = node as Record<string, unknown>;
  if (record.nullable === true && typeof record.type === 'string') out.type = [record.type, 'null'];
  // An enum on a nullable field must also list null, or the widened type is useless.
  if (record.nullable === true && Array.isArray(record.enum) && !record.enum.includes(null)) out.enum = [...record.enum, null];
  return out;
}

export function requestShapes(): RequestShape[] {
  if (cachedShapes) return cachedShapes;
  const document = JSON.parse(readFileSync(findSchemaFile(), 'utf8')) as {
    paths: Record<string, { post: { requestBody: { content: Record<string, { schema: { anyOf: Record<string, unknown>[] } }> } } }>;
  };
  const branches = document.paths['/v1/messages'].post.requestBody.content['application/json'].schema.anyOf;
  // `optimize: false` compiles about 40% faster; validation speed does not matter here.
  const ajv = new Ajv({ strict: false, allErrors: true, allowUnionTypes: true, code: { optimize: false } });
  addFormats(ajv);
  cachedShapes = branches.map((branch) => {
    const properties = branch.properties as Record<string, { enum?: string[]; default?: number }>;
    let compiled: ValidateFunction | undefined;
    return {
      models: properties.model.enum ?? [],
      acceptsSampling: 'temperature' in properties,
      defaultMaxTokens: properties.max_tokens?.default ?? 64000,
      get validate() {
        compiled ??= ajv.compile(openApiToJsonSchema(branch) as object);
        return compiled;
      },
    };
  });
  return cachedShapes;
}

/** Compiles the validator of the common models ahead of the first request. */
export function warmUpValidation(): void {
  void requestShapes()[0]?.validate;
}

export function knownModels(): string[] {
  return requestShapes().flatMap((shape) => shape.models);
}

/** The shape most models have (temperature, top_p, top_k accepted): for catalogue-only models. */
export function defaultShape(): RequestShape {
  const shapes = requestShapes();
  return shapes.find((shape) => shape.acceptsSampling) ?? shapes[0];
}

export function shapeForModel(model: string): RequestShape | undefined {
  return requestShapes().find((shape) => shape.models.includes(model));
}

// The seed schema also accepts OpenAI-style messages and function tools (second alternatives of
// `messages` and `tools`). The stand-in, like the extension, speaks the Anthropic shape, so errors
// from those alternatives are noise in a message.
const COMPAT_ALTERNATIVES = [/^#\/properties\/messages\/anyOf\/1\//, /^#\/properties\/tools\/anyOf\/1\//];

const BRANCH_ROOT = String.raw`\/(?:oneOf|anyOf)\/\d+`;
/** `type`/`role` enum, a missing `type`, or a JSON type mismatch at a branch root: "not this branch". */
const DISCRIMINATOR_FAILURE = new RegExp(`(${BRANCH_ROOT})(?:\\/properties\\/(?:type|role)\\/enum|\\/type)$`);

function isDiscriminatorFailure(error: ErrorObject): boolean {
  if (error.keyword === 'required') return (error.params as { missingProperty?: string }).missingProperty === 'type' && new RegExp(`${BRANCH_ROOT}\\/required$`).test(error.schemaPath);
  return DISCRIMINATOR_FAILURE.test(error.schemaPath);
}

function branchPrefix(error: ErrorObject): string {
  const match = new RegExp(`^.*${BRANCH_ROOT}`).exec(error.schemaPath);
  return match ? match[0] : '';
}

function dotted(instancePath: string): string {
  return instancePath.replace(/^\//, '').split('/').filter(Boolean).join('.') || 'body';
}

/**
 * One precise line from ajv's errors. With anyOf/oneOf ajv reports every branch; branches whose
 * discriminator (`type`, `role`) does not match are dropped, and the deepest remaining error is
 * the one that names the real mistake. When no branch matches, the allowed values are listed.
 */
export function describeSchemaErrors(errors: ErrorObject[] | null | undefined): string {
  if (!errors?.length) return 'Request body does not match the schema.';
  const relevant = errors.filter((e) => e.keyword !== 'anyOf' && e.keyword !== 'oneOf' && e.keyword !== 'if')
    .filter((e) => !COMPAT_ALTERNATIVES.some((pattern) => pattern.test(e.schemaPath)));
  const failedBranches = relevant.filter(isDiscriminatorFailure).map(branchPrefix);
  const inFailedBranch = (e: ErrorObject) => failedBranches.some((prefix) => e.schemaPath.startsWith(prefix + '/'));
  const candidates = relevant.filter((e) => !inFailedBranch(e));
  const depth = (e: ErrorObject) => e.instancePath.split('/').length * 2 + (e.keyword === 'type' ? 0 : 1);
  if (candidates.length) {
    const best = candidates.reduce((a, b) => (depth(b) > depth(a) ? b : a));
    const missing = best.keyword === 'required' ? ` (${(best.params as { missingProperty?: string }).missingProperty})` : '';
    const allowed = best.keyword === 'enum' ? `: ${JSON.stringify((best.params as { allowedValues?: unknown[] }).allowedValues)}` : '';
    return `${dotted(best.instancePath)}: ${best.message ?? 'is invalid'}${missing}${allowed}`;
  }
  // No branch fits: say which discriminator values would have.
  const pool = relevant.length ? relevant : errors;
  const deepest = pool.reduce((a, b) => (b.instancePath.length > a.instancePath.length ? b : a)).instancePath;
  const values = new Set(pool.filter((e) => e.instancePath === deepest && e.keyword === 'enum')
    .flatMap((e) => (e.params as { allowedValues?: unknown[] }).allowedValues ?? []));
  if (values.size) return `${dotted(deepest)}: must be one of ${[...values].map((v) => JSON.stringify(v)).join(', ')}`;
  const first = pool.find((e) => e.instancePath === deepest)!;
  return `${dotted(deepest)}: ${first.message ?? 'is invalid'}`;
}
