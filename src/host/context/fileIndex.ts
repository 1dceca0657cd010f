// The workspace's files and folders for the `Context` listbox, indexed once and kept fresh: listed
// with findFiles (files.exclude and search.exclude applied, like the tools' find_files), filtered
// by the root .gitignore and .git/info/exclude, then searched in memory (core/context/fuzzyFiles),
// so a keystroke never waits for the disk. A file created or deleted marks the index stale; the
// next query answers from the old index while a new one is built.
import ignore from 'ignore';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { FuzzyFileIndex, type FileEntry } from '../../core/context/fuzzyFiles';
import { excludeGlob } from '../tools/vscodeToolHost';

const MAX_FILES = 200_000;

async function gitignoreRules(folder: vscode.WorkspaceFolder): Promise<ReturnType<typeof ignore>> {
  const rules = ignore();
  for (const rel of ['.gitignore', '.git/info/exclude']) {
    try {
      rules.add(new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder.uri, rel))));
    } catch { /* absent */ }
  }
  return rules;
}

export async function listWorkspaceEntries(token?: vscode.CancellationToken): Promise<FileEntry[]> {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
  const multiRoot = folders.length > 1;
  const entries: FileEntry[] = [];
  for (const folder of folders) {
    const rules = await gitignoreRules(folder);
    const uris = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, '**/*'), excludeGlob(folder), MAX_FILES, token);
    const dirs = new Set<string>();
    const prefix = multiRoot ? `${folder.name}/` : '';
    for (const uri of uris) {
      const rel = path.relative(folder.uri.fsPath, uri.fsPath).split(path.sep).join('/');
      if (rel.startsWith('.git/') || rules.ignores(rel)) continue;
      entries.push({ path: prefix + rel, isFolder: false });
      for (let i = rel.indexOf('/'); i !== -1; i = rel.indexOf('/', i + 1)) dirs.add(rel.slice(0, i));
    }
    for (const dir of dirs) entries.push({ path: prefix + dir, isFolder: true });
  }
  return entries;
}

export class WorkspaceFileIndex implements vscode.Disposable {
  private index: FuzzyFileIndex | undefined;
  private building: Promise<FuzzyFileIndex> | undefined;
  private stale = true;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly list: () => Promise<FileEntry[]> = () => listWorkspaceEntries()) {
    const watcher = vscode.workspace.createFileSystemWatcher('**/*', false, true, false);
    const markStale = () => { this.stale = true; };
    this.disposables.push(
      watcher, watcher.onDidCreate(markStale), watcher.onDidDelete(markStale),
      vscode.workspace.onDidChangeWorkspaceFolders(markStale),
      vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('files.exclude') || e.affectsConfiguration('search.exclude')) markStale(); }),
    );
  }

  /** Starts building in the background (called when the chat view opens). */
  warm(): void {
    void this.current().catch(() => undefined);
  }

  async search(query: string, limit = 50): Promise<FileEntry[]> {
    return (await this.current()).search(query, limit);
  }

  private async current(): Promise<FuzzyFileIndex> {
    if (this.stale && !this.building) {
      this.stale = false;
      this.building = this.list().then((entries) => {
        this.index = new FuzzyFileIndex(entries);
        return this.index;
      }, (error: unknown) => {
        this.stale = true;
        throw error;
      }).finally(() => { this.building = undefined; });
    }
    // A stale index answers at once while the new one is built.
    return this.index ?? (await this.building!);
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
