// Versioned files: every file in global storage says which schema `version` wrote it. Loading runs
// the chain of migrations from the file's version up to the current one, then validates. Files
// written before versions existed count as version 0. A file from a newer release (a higher
// version) is read as well as we can, with a warning, and is never overwritten: the newer release
// keeps its data (see `isFromTheFuture` and the stores' write paths).
import type * as z from '../../shared/zod';

export type Json = Record<string, unknown>;

export interface Migration {
  /** Turns a file of version `from` into version `from + 1`. */
  from: number;
  describe: string;
  up(data: Json): Json;
}

export interface VersionedFormat {
  name: string;
  current: number;
  /** One per version step, in order: migrations[i].from === i (or the first version that exists). */
  migrations: Migration[];
  /** How a file without a version field is read (an array, say, becomes { version: 0, ... }). */
  unversioned(value: unknown): Json | undefined;
}

export interface Migrated {
  data: Json;
  /** The version the file was written with. */
  fileVersion: number;
  /** Written by a newer release: read as well as possible, never overwrite it. */
  fromTheFuture: boolean;
}

export function versionOf(value: unknown): number | undefined {
  // Stryker disable next-line ConditionalExpression: equivalent: a number, string or boolean has no `version` field, so it reads as unversioned all the same
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const version = (value as Json).version;
  // Stryker disable next-line ConditionalExpression: equivalent: Number.isInteger is false for anything but a number
  return typeof version === 'number' && Number.isInteger(version) && version >= 0 ? version : undefined;
}

/** Runs the migrations; undefined when the value is not a file of this format at all. */
export function migrate(format: VersionedFormat, value: unknown, warn: (message: string) => void): Migrated | undefined {
  const declared = versionOf(value);
  let data = declared === undefined ? format.unversioned(value) : { ...(value as Json) };
  if (!data) return undefined;
  const fileVersion = declared ?? versionOf(data) ?? 0;
  if (fileVersion > format.current) {
    warn(`${format.name}: written by a newer version of AIML Chat (format ${fileVersion}, this one reads ${format.current}); read as far as possible and never overwritten.`);
    return { data: { ...data, version: format.current }, fileVersion, fromTheFuture: true };
  }
  for (let version = fileVersion; version < format.current; version++) {
    const step = format.migrations.find((m) => m.from === version);
    if (step) data = step.up(data);
    data.version = version + 1;
  }
  return { data, fileVersion, fromTheFuture: false };
}

/**
 * Validates with the schema, repairing what a newer or older release may legitimately have written:
 * `repair` gets each problem's path and returns true when it fixed the data in place (an unknown
 * enum value mapped to a safe default, an unknown block replaced). Anything it cannot fix fails.
 */
export function parseTolerant<S extends z.ZodMiniType>(
  schema: S,
  data: unknown,
  repair: (issuePath: PropertyKey[], data: unknown) => string | undefined,
  warn: (message: string) => void,
): { success: true; data: z.infer<S> } | { success: false; problem: string } {
  const seen = new Set<string>();
  for (let attempt = 0; attempt < 200; attempt++) {
    const parsed = schema.safeParse(data);
    if (parsed.success) return { success: true, data: parsed.data as z.infer<S> };
    const issue = parsed.error.issues[0];
    const where = issue.path.map(String).join('.');
    const fixed = seen.has(where) ? undefined : repair(issue.path, data);
    if (!fixed) return { success: false, problem: `${where || '(top)'}: ${issue.message}` };
    seen.add(where);
    warn(`${where}: ${fixed}`);
  }
  return { success: false, problem: 'too many problems to repair' };
}

/** Reads the value at a path (undefined when a step is missing). */
export function valueAt(data: unknown, at: readonly PropertyKey[]): unknown {
  let node = data;
  for (const key of at) {
    if (!node || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

/** Sets (or with `undefined`, deletes) the value at a path; false when the parent is missing. */
export function setAt(data: unknown, at: readonly PropertyKey[], value: unknown): boolean {
  const parent = valueAt(data, at.slice(0, -1));
  if (!parent || typeof parent !== 'object') return false;
  const key = at[at.length - 1];
  if (value === undefined) delete (parent as Record<PropertyKey, unknown>)[key];
  else (parent as Record<PropertyKey, unknown>)[key] = value;
  return true;
}

/** Names of fields an object has that the schema's shape does not know (they are dropped on load). */
export function extraFields(value: unknown, known: readonly string[]): string[] {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return [];
  return Object.keys(value).filter((key) => !known.includes(key));
}
