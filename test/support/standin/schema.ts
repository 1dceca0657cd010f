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
  validate: ValidateFunction;
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
  const ajv = new Ajv({ strict: false, allErrors: true, allowUnionTypes: true });
  addFormats(ajv);
  cachedShapes = branches.map((branch) => {
    const properties = branch.properties as Record<string, { enum?: string[]; default?: number }>;
    return {
      models: properties.model.enum ?? [],
      acceptsSampling: 'temperature' in properties,
      defaultMaxTokens: properties.max_tokens?.default ?? 64000,
      validate: ajv.compile(openApiToJsonSchema(branch) as object),
    };
  });
  return cachedShapes;
}

export function knownModels(): string[] {
  return requestShapes().flatMap((shape) => shape.models);
}

export function shapeForModel(model: string): RequestShape | undefined {
  return requestShapes().find((shape) => shape.models.includes(model));
}

/**
 * One precise line from ajv's errors. With anyOf/oneOf ajv reports every branch; the deepest
 * error is usually the one that names the real mistake, so it is preferred over the generic
 * "must match a schema in anyOf" at a shallower path.
 */
export function describeSchemaErrors(errors: ErrorObject[] | null | undefined): string {
  if (!errors?.length) return 'Request body does not match the schema.';
  const specific = errors.filter((e) => e.keyword !== 'anyOf' && e.keyword !== 'oneOf' && e.keyword !== 'if');
  const pool = specific.length ? specific : errors;
  const depth = (e: ErrorObject) => e.instancePath.split('/').length;
  // Prefer errors about a discriminating `type` value last: they only say "not this branch".
  const rank = (e: ErrorObject) => depth(e) * 2 + (e.keyword === 'enum' && e.instancePath.endsWith('/type') ? 0 : 1);
  const best = pool.reduce((a, b) => (rank(b) > rank(a) ? b : a));
  const where = best.instancePath.replace(/^\//, '').split('/').filter(Boolean).join('.') || 'body';
  const extra = best.keyword === 'enum' ? `: ${JSON.stringify((best.params as { allowedValues?: unknown[] }).allowedValues)}` : '';
  const missing = best.keyword === 'required' ? ` (${(best.params as { missingProperty?: string }).missingProperty})` : '';
  return `${where}: ${best.message ?? 'is invalid'}${missing}${extra}`;
}
