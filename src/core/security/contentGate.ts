// The one gate every feature passes before it reads a workspace file's content: read_file and
// the text editor's view, search_text, find_files, diagnostics, the edit flow (which quotes
// lines back), batch collection and, later, #-mentions. It resolves the real path (symlinks
// followed) and confines it to the workspace, applies the secret patterns to every name the file
// goes by (the name asked for, the link, the target), and the ignore rules where they apply.
// Each refusal carries a kind naming the defence that fired, so tests and callers can tell them apart.
import type { PathRefusalKind, PathResolver, ResolvedPath } from '../tools/paths';
import type { SensitivePaths } from '../tools/sensitivePaths';

export type GateRefusalKind = PathRefusalKind | 'secret' | 'ignored';

export type GateVerdict =
  | { ok: true; file: ResolvedPath }
  /** `file` is set when the path itself was confined (a `secret` file may still be read after an explicit Allow). */
  | { ok: false; kind: GateRefusalKind; reason: string; file?: ResolvedPath };

/** Whether a confined file is excluded (.gitignore, files.exclude); the host knows the rules. */
export type IgnoreCheck = (file: ResolvedPath) => boolean | Promise<boolean>;

export const SECRET_REASON = 'this file looks like it holds secrets (keys, tokens, passwords)';

/**
 * Content that is a credential whatever the file is called: a Google service-account key or a
 * PEM private key block. Looked for in text the caller already holds, never by an extra read.
 */
export function looksLikeSecretContent(text: string): boolean {
  const head = text.slice(0, 64 * 1024);
  return /"type"\s*:\s*"service_account"/.test(head) || /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/.test(head);
}

export class ContentGate {
  constructor(
    readonly resolver: PathResolver,
    readonly sensitive: SensitivePaths,
    private readonly isIgnored?: IgnoreCheck,
  ) {}

  private secretNames(file: ResolvedPath, ...also: string[]): boolean {
    return this.sensitive.isSecret(file.relPath, file.displayPath, file.absPath, ...also);
  }

  /**
   * A path the model or the user named (read_file, edits, mentions). Ignore rules do not apply:
   * naming an ignored file (a build output, a log) is deliberate. A `secret` verdict carries the
   * file so the caller can ask for an explicit Allow.
   */
  async checkNamed(raw: string): Promise<GateVerdict> {
    const resolved = await this.resolver.resolve(raw);
    if (!resolved.ok) return { ok: false, kind: resolved.kind, reason: resolved.reason };
    const file = resolved.value;
    if (this.secretNames(file, raw)) return { ok: false, kind: 'secret', reason: SECRET_REASON, file };
    return { ok: true, file };
  }

  /**
   * A file a search or a folder expansion found (find_files, search_text, batch). The path may be
   * a link: its target is confined like a named path, and a secret or ignored name on either side
   * (the link or its target) leaves the file out.
   */
  async checkFound(absPath: string, options: { applyIgnore?: boolean } = {}): Promise<GateVerdict> {
    const resolved = await this.resolver.resolve(absPath);
    if (!resolved.ok) return { ok: false, kind: resolved.kind, reason: resolved.reason };
    const file = resolved.value;
    const shownAs = await this.resolver.displayPathOf(absPath);
    // Stryker disable next-line ArrayDeclaration: with no display name (a path outside that links in), a placeholder name is no secret either.
    if (this.secretNames(file, absPath, ...(shownAs ? [shownAs] : []))) return { ok: false, kind: 'secret', reason: SECRET_REASON, file };
    if (options.applyIgnore !== false && this.isIgnored && await this.isIgnored(file)) return { ok: false, kind: 'ignored', reason: 'the file is excluded (files.exclude or .gitignore)', file };
    return { ok: true, file };
  }
}
