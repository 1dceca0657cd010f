// Turns the Explorer selection (or a glob typed by the user) into the files of a batch. Every file
// passes the content gate the tools use: real path inside the workspace (a link leading out is
// skipped), the secret patterns (`.env`, `.npmrc`, keys, ...), and .gitignore / files.exclude for
// files found by expanding a folder or a glob. Folders also skip dependency and build folders;
// files over the size limit are skipped from their stat, without being read.
import * as vscode from 'vscode';
import { sizeProblem, type BatchFileInput, type SkippedFile } from '../../core/batch/requests';
import { ContentGate, looksLikeSecretContent, type GateRefusalKind } from '../../core/security/contentGate';
import { PathResolver } from '../../core/tools/paths';
import { SensitivePaths } from '../../core/tools/sensitivePaths';
import { WorkspaceExcludes } from '../tools/workspaceExcludes';

/** Always left out when a folder or glob is expanded (the user can still select such files directly). */
const ALWAYS_EXCLUDED = ['**/node_modules/**', '**/.git/**', '**/dist/**', '**/out/**', '**/build/**', '**/.vscode-test/**', '**/coverage/**', '**/*.min.js', '**/*.map', '**/package-lock.json', '**/yarn.lock', '**/pnpm-lock.yaml'];

/** A skipped file with the defence or check that left it out. */
export interface GatedSkip extends SkippedFile {
  kind: GateRefusalKind | 'too_large' | 'unreadable' | 'not_in_workspace' | 'unchecked';
}

export interface CollectedFiles {
  files: BatchFileInput[];
  skipped: GatedSkip[];
  /** More files matched than `limit`; the rest were not looked at. */
  truncated: boolean;
}

const KIND_REASONS: Partial<Record<GatedSkip['kind'], string>> = {
  secret: 'looks like it holds secrets',
  ignored: 'excluded by .gitignore or files.exclude',
  symlink_escape: 'a symbolic link that leads outside the workspace',
  broken_link: 'a broken symbolic link',
  outside_workspace: 'outside the workspace folders',
  not_in_workspace: 'not a file in a workspace folder',
};

function excludeGlob(): string {
  // Passing an exclude to findFiles replaces files.exclude, so its patterns are merged in here.
  const filesExclude = vscode.workspace.getConfiguration('files').get<Record<string, unknown>>('exclude', {});
  const patterns = [...ALWAYS_EXCLUDED, ...Object.entries(filesExclude).filter(([, on]) => on === true).map(([glob]) => glob)];
  return `{${patterns.map((p) => p.replace(/[{}]/g, '')).join(',')}}`;
}

/** The files of one selected item, and whether they were found by expansion (ignore rules apply). */
async function expand(uri: vscode.Uri, limit: number): Promise<{ uris: vscode.Uri[]; expanded: boolean }> {
  let stat: vscode.FileStat;
  try {
    stat = await vscode.workspace.fs.stat(uri);
  } catch {
    return { uris: [], expanded: false };
  }
  if (stat.type & vscode.FileType.Directory) {
    const found = await vscode.workspace.findFiles(new vscode.RelativePattern(uri, '**/*'), excludeGlob(), limit);
    return { uris: found.sort((a, b) => a.path.localeCompare(b.path)), expanded: true };
  }
  return { uris: [uri], expanded: false };
}

export async function findByGlob(glob: string, limit: number): Promise<vscode.Uri[]> {
  const found = await vscode.workspace.findFiles(glob, excludeGlob(), limit);
  return found.sort((a, b) => a.path.localeCompare(b.path));
}

/** The gate batch collection uses: the workspace's file folders, the user's secret patterns, the excludes. */
export function batchGate(secretFilePatterns: readonly string[]): ContentGate {
  const roots = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => ({ fsPath: f.uri.fsPath, name: f.name }));
  const excludes = new WorkspaceExcludes();
  return new ContentGate(new PathResolver(roots), new SensitivePaths(secretFilePatterns), (file) => excludes.isExcluded(file.absPath, file.root));
}

/**
 * Reads the selected files (up to `limit`, counting only files that will be sent). `maxFileBytes`
 * files are skipped by size before reading. `globbed`: the selection came from a glob, so the
 * ignore rules apply to every file (as they do to the files of a selected folder).
 */
export async function collectFiles(
  selection: readonly vscode.Uri[], limit: number, maxFileBytes: number, gate: ContentGate, globbed = false,
): Promise<CollectedFiles> {
  const files: BatchFileInput[] = [];
  const skipped: GatedSkip[] = [];
  const seen = new Set<string>();
  let truncated = false;
  const skip = (path: string, location: string, kind: GatedSkip['kind'], reason = KIND_REASONS[kind] ?? kind) => skipped.push({ path, location, reason, kind });
  // One more than the limit is looked up so we can tell the user the selection was cut.
  for (const selected of selection) {
    const { uris, expanded } = await expand(selected, limit * 4 + 1);
    for (const uri of uris) {
      const key = uri.toString();
      if (seen.has(key)) continue;
      seen.add(key);
      if (files.length >= limit) { truncated = true; break; }
      const path = vscode.workspace.asRelativePath(uri, (vscode.workspace.workspaceFolders?.length ?? 0) > 1);
      if (uri.scheme !== 'file') { skip(path, key, 'not_in_workspace'); continue; }
      // A file the user picked by hand is sent even if ignored; a secret or a link out never is.
      const verdict = await gate.checkFound(uri.fsPath, { applyIgnore: expanded || globbed });
      if (!verdict.ok) { skip(path, key, verdict.kind); continue; }
      const real = vscode.Uri.file(verdict.file.absPath);
      try {
        const stat = await vscode.workspace.fs.stat(real);
        if (!(stat.type & vscode.FileType.File)) continue;
        const tooBig = sizeProblem(stat.size, maxFileBytes);
        if (tooBig) { skip(path, key, 'too_large', tooBig); continue; }
        const bytes = await vscode.workspace.fs.readFile(real);
        // A credential under an innocent name (a service-account key, a PEM private key).
        if (looksLikeSecretContent(new TextDecoder().decode(bytes.subarray(0, 64 * 1024)))) { skip(path, key, 'secret', 'its content is a private key or a service-account key'); continue; }
        files.push({ path, location: key, bytes });
      } catch (error) {
        skip(path, key, 'unreadable', `could not be read (${(error as Error).message})`);
      }
    }
    if (truncated) break;
  }
  return { files, skipped, truncated };
}
