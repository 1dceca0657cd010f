// Turns the Explorer selection (or a glob typed by the user) into the files of a batch. Folders
// expand to their files, skipping dependency and build folders as well as files.exclude; files
// over the size limit are skipped from their stat, without being read.
import * as vscode from 'vscode';
import { sizeProblem, type BatchFileInput, type SkippedFile } from '../../core/batch/requests';

/** Always left out when a folder or glob is expanded (the user can still select such files directly). */
const ALWAYS_EXCLUDED = ['**/node_modules/**', '**/.git/**', '**/dist/**', '**/out/**', '**/build/**', '**/.vscode-test/**', '**/coverage/**', '**/*.min.js', '**/*.map', '**/package-lock.json', '**/yarn.lock', '**/pnpm-lock.yaml'];

export interface CollectedFiles {
  files: BatchFileInput[];
  skipped: SkippedFile[];
  /** More files matched than `limit`; the rest were not looked at. */
  truncated: boolean;
}

function excludeGlob(): string {
  // Passing an exclude to findFiles replaces files.exclude, so its patterns are merged in here.
  const filesExclude = vscode.workspace.getConfiguration('files').get<Record<string, unknown>>('exclude', {});
  const patterns = [...ALWAYS_EXCLUDED, ...Object.entries(filesExclude).filter(([, on]) => on === true).map(([glob]) => glob)];
  return `{${patterns.map((p) => p.replace(/[{}]/g, '')).join(',')}}`;
}

async function expand(uri: vscode.Uri, limit: number): Promise<vscode.Uri[]> {
  let stat: vscode.FileStat;
  try {
    stat = await vscode.workspace.fs.stat(uri);
  } catch {
    return [];
  }
  if (stat.type & vscode.FileType.Directory) {
    const found = await vscode.workspace.findFiles(new vscode.RelativePattern(uri, '**/*'), excludeGlob(), limit);
    return found.sort((a, b) => a.path.localeCompare(b.path));
  }
  return [uri];
}

export async function findByGlob(glob: string, limit: number): Promise<vscode.Uri[]> {
  const found = await vscode.workspace.findFiles(glob, excludeGlob(), limit);
  return found.sort((a, b) => a.path.localeCompare(b.path));
}

/**
 * Reads the selected files (up to `limit`, counting only files that will be sent). `maxFileBytes`
 * files are skipped by size before reading.
 */
export async function collectFiles(selection: readonly vscode.Uri[], limit: number, maxFileBytes: number): Promise<CollectedFiles> {
  const files: BatchFileInput[] = [];
  const skipped: SkippedFile[] = [];
  const seen = new Set<string>();
  let truncated = false;
  // One more than the limit is looked up so we can tell the user the selection was cut.
  for (const selected of selection) {
    for (const uri of await expand(selected, limit * 4 + 1)) {
      const key = uri.toString();
      if (seen.has(key)) continue;
      seen.add(key);
      if (files.length >= limit) { truncated = true; break; }
      const path = vscode.workspace.asRelativePath(uri, (vscode.workspace.workspaceFolders?.length ?? 0) > 1);
      try {
        const stat = await vscode.workspace.fs.stat(uri);
        if (!(stat.type & vscode.FileType.File)) continue;
        const tooBig = sizeProblem(stat.size, maxFileBytes);
        if (tooBig) { skipped.push({ path, location: key, reason: tooBig }); continue; }
        files.push({ path, location: key, bytes: await vscode.workspace.fs.readFile(uri) });
      } catch (error) {
        skipped.push({ path, location: key, reason: `could not be read (${(error as Error).message})` });
      }
    }
    if (truncated) break;
  }
  return { files, skipped, truncated };
}
