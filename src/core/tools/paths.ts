// Path confinement for every tool. A path the model sends is untrusted text: it is resolved to a
// real location (symlinks followed) and accepted only inside a workspace folder. Pure apart from
// node:fs realpath/lstat, so the unit tests can use real temporary folders and symlinks.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface WorkspaceRoot {
  /** Absolute file-system path of the folder as VS Code reports it. */
  fsPath: string;
  /** The folder's name, used as a prefix in multi-root workspaces. */
  name: string;
}

export interface ResolvedPath {
  /** Real absolute path (symlinks resolved; for a file that does not exist yet, its real parent + the rest). */
  absPath: string;
  /** The path as the user and the model see it: relative to its folder, `/` separated. */
  displayPath: string;
  /** Path relative to its workspace folder, `/` separated; '' for the folder itself. */
  relPath: string;
  root: WorkspaceRoot;
  exists: boolean;
}

/**
 * Which defence refused a path: tests assert the kind, so one defence cannot stand in for another.
 * `invalid_path`: empty, control characters (NUL), drive-relative or stream syntax;
 * `home_relative`: `~`; `unc_path`: `\\\\server`, `//host`, device paths; `other_scheme`: a URI
 * that is not `file:`; `outside_workspace`: resolves outside every folder; `symlink_escape`: a link
 * on the way leads outside; `broken_link`: the path or a parent is a dangling link.
 */
export type PathRefusalKind = 'invalid_path' | 'home_relative' | 'unc_path' | 'other_scheme' | 'no_workspace' | 'outside_workspace' | 'symlink_escape' | 'broken_link';

export interface PathRefusal {
  ok: false;
  kind: PathRefusalKind;
  reason: string;
}

export type PathResult = { ok: true; value: ResolvedPath } | PathRefusal;

// Stryker disable next-line all: platform-only (Windows, macOS); on Linux, where the tests run, it is false.
const isCaseInsensitiveFs = process.platform === 'win32' || process.platform === 'darwin';

function sameOrInside(child: string, parent: string): boolean {
  // Stryker disable next-line MethodExpression: platform-only (case folding on Windows and macOS).
  const a = isCaseInsensitiveFs ? child.toLowerCase() : child;
  // Stryker disable next-line MethodExpression: platform-only (case folding on Windows and macOS).
  const b = isCaseInsensitiveFs ? parent.toLowerCase() : parent;
  if (a === b) return true;
  const withSep = b.endsWith(path.sep) ? b : b + path.sep;
  return a.startsWith(withSep);
}

const refuse = (kind: PathRefusalKind, reason: string): PathRefusal => ({ ok: false, kind, reason });

/** Rejects text that is not a plain path before any file-system call sees it. */
function syntacticRefusal(raw: string): PathRefusal | undefined {
  if (raw.trim() === '') return refuse('invalid_path', 'the path is empty');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f]/.test(raw)) return refuse('invalid_path', 'the path contains control characters (e.g. a NUL byte)');
  if (raw.startsWith('~')) return refuse('home_relative', 'home-relative paths (~) are not allowed; use a path inside the workspace');
  if (/^[\\/]{2}/.test(raw)) return refuse('unc_path', 'UNC and device paths (\\\\server\\share, \\\\?\\, //host) are not allowed');
  if (/^[a-zA-Z][a-zA-Z0-9+.-]+:/.test(raw) && !/^file:/i.test(raw)) return refuse('other_scheme', `URIs of scheme "${raw.split(':')[0]}" are not allowed; use a workspace path`);
  const drive = /^[a-zA-Z]:/.exec(raw);
  if (drive) {
    // Windows-only branches below: the unit tests run on Linux, where every drive path is refused here.
    // Stryker disable next-line ConditionalExpression,StringLiteral: platform-only; the condition is always true on Linux, where the tests run (its message is tested).
    if (process.platform !== 'win32') return refuse('invalid_path', 'Windows drive paths are not valid here');
    // Stryker disable next-line all: Windows-only, unreachable on the Linux test machine.
    if (!/^[a-zA-Z]:[\\/]/.test(raw)) return refuse('invalid_path', 'drive-relative paths such as C:foo are not allowed');
  }
  // A colon after the drive is an NTFS alternate data stream (file.txt::$DATA) on Windows.
  // Stryker disable next-line all: Windows-only (used by the next line alone).
  const afterDrive = drive ? raw.slice(2) : raw;
  // Stryker disable next-line all: Windows-only; on Linux a colon is an ordinary file-name character (tested).
  if (process.platform === 'win32' && afterDrive.includes(':')) return refuse('invalid_path', 'colons are not allowed in paths (alternate data streams)');
  return undefined;
}

async function realpathOrUndefined(p: string): Promise<string | undefined> {
  try {
    return await fs.realpath(p);
    // Stryker disable next-line BlockStatement: an empty catch block also returns undefined.
  } catch {
    return undefined;
  }
}

/** Real path of `target`, or of its nearest existing ancestor plus the missing rest. */
async function realLocation(target: string): Promise<{ real: string; exists: boolean } | { error: string; kind: PathRefusalKind }> {
  const direct = await realpathOrUndefined(target);
  if (direct) return { real: direct, exists: true };
  // A dangling symlink must not be treated as "does not exist yet": creating through it would write
  // wherever it points.
  try {
    await fs.lstat(target);
    return { error: 'the path is a broken symbolic link', kind: 'broken_link' };
  } catch { /* truly missing: walk up */ }
  const missing: string[] = [];
  let current = target;
  for (;;) {
    const parent = path.dirname(current);
    missing.unshift(path.basename(current));
    // Stryker disable next-line all: unreachable on POSIX (the file-system root always exists), kept for a vanished drive on Windows.
    if (parent === current) return { error: 'no existing parent folder', kind: 'outside_workspace' };
    const real = await realpathOrUndefined(parent);
    if (real) return { real: path.join(real, ...missing), exists: false };
    try {
      await fs.lstat(parent);
      return { error: 'a parent folder is a broken symbolic link', kind: 'broken_link' };
    } catch { /* keep walking */ }
    current = parent;
  }
}

export class PathResolver {
  private realRoots: Promise<Array<{ root: WorkspaceRoot; real: string }>> | undefined;

  constructor(private readonly roots: WorkspaceRoot[]) {}

  get hasRoots(): boolean {
    return this.roots.length > 0;
  }

  private async resolvedRoots(): Promise<Array<{ root: WorkspaceRoot; real: string }>> {
    this.realRoots ??= Promise.all(this.roots.map(async (root) => ({ root, real: (await realpathOrUndefined(root.fsPath)) ?? path.resolve(root.fsPath) })));
    return this.realRoots;
  }

  /** Where a relative path is anchored: a folder named by the first segment (multi-root), else the first folder. */
  private anchorFor(relative: string): { root: WorkspaceRoot; rest: string } {
    const [first, ...rest] = relative.split('/');
    if (this.roots.length > 1) {
      const named = this.roots.find((r) => r.name === first);
      if (named) return { root: named, rest: rest.join('/') };
    }
    return { root: this.roots[0], rest: relative };
  }

  async resolve(raw: string): Promise<PathResult> {
    if (typeof raw !== 'string') return refuse('invalid_path', 'the path must be a string');
    if (!this.hasRoots) return refuse('no_workspace', 'no folder is open in VS Code');
    const refusal = syntacticRefusal(raw);
    if (refusal) return refusal;

    let text = raw;
    if (/^file:/i.test(text)) {
      try {
        text = fileURLToPath(text);
      } catch {
        return refuse('invalid_path', 'the file: URI is malformed or names another host');
      }
    }
    // Models often write Windows separators; a literal backslash in a POSIX name is rare enough to give up.
    text = text.replace(/\\/g, '/');

    let candidate: string;
    // Stryker disable next-line ConditionalExpression: path.resolve(root, absolute) is the absolute path too; this branch only says so plainly.
    if (path.isAbsolute(text)) {
      candidate = path.resolve(text);
    } else {
      const normalized = path.posix.normalize(text);
      if (normalized === '..' || normalized.startsWith('../')) return refuse('outside_workspace', `"${raw}" points outside the workspace`);
      // Stryker disable next-line ConditionalExpression,StringLiteral: resolving "." under the root is the root itself.
      const { root, rest } = this.anchorFor(normalized === '.' ? '' : normalized);
      candidate = path.resolve(root.fsPath, rest);
    }

    const location = await realLocation(candidate);
    if ('error' in location) return refuse(location.kind, `"${raw}": ${location.error}`);

    const roots = await this.resolvedRoots();
    // The most specific folder wins when workspace folders are nested.
    const owner = roots
      .filter((r) => sameOrInside(location.real, r.real))
      .sort((a, b) => b.real.length - a.real.length)[0];
    if (!owner) {
      const viaLink = roots.some((r) => sameOrInside(candidate, r.real) || sameOrInside(candidate, path.resolve(r.root.fsPath)));
      return viaLink ? refuse('symlink_escape', `"${raw}" is a symbolic link that leads outside the workspace`) : refuse('outside_workspace', `"${raw}" is outside the workspace folders`);
    }
    const relPath = path.relative(owner.real, location.real).split(path.sep).join('/');
    const displayPath = this.roots.length > 1 ? [owner.root.name, relPath].filter(Boolean).join('/') : relPath || '.';
    return { ok: true, value: { absPath: location.real, displayPath, relPath, root: owner.root, exists: location.exists } };
  }

  /** Display path of an absolute path already known to be real (search results), or undefined when outside. */
  async displayPathOf(absPath: string): Promise<string | undefined> {
    const roots = await this.resolvedRoots();
    for (const r of [...roots].sort((a, b) => b.real.length - a.real.length)) {
      for (const base of [r.real, path.resolve(r.root.fsPath)]) {
        if (sameOrInside(absPath, base)) {
          const rel = path.relative(base, absPath).split(path.sep).join('/');
          return this.roots.length > 1 ? [r.root.name, rel].filter(Boolean).join('/') : rel || '.';
        }
      }
    }
    return undefined;
  }
}
