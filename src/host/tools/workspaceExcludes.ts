// Which workspace files are excluded: files.exclude, search.exclude and the folder's .gitignore
// (plus .git/info/exclude). Shared by the tools (findFiles, the content gate) and batch collection,
// so a file left out of a search is left out of a batch for the same reason.
import ignore, { type Ignore } from 'ignore';
import { minimatch } from 'minimatch';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { WorkspaceRoot } from '../../core/tools/paths';

export const samePath = (a: string, b: string) => (process.platform === 'linux' ? a === b : a.toLowerCase() === b.toLowerCase());

/** The folder's enabled files.exclude and search.exclude globs (`when` conditions are not evaluated). */
export function excludePatterns(folder: vscode.WorkspaceFolder | undefined, sections = ['files.exclude', 'search.exclude']): string[] {
  const patterns = new Set<string>();
  for (const section of sections) {
    const value = vscode.workspace.getConfiguration(undefined, folder?.uri).get<Record<string, unknown>>(section) ?? {};
    for (const [glob, on] of Object.entries(value)) if (on === true) patterns.add(glob);
  }
  return [...patterns];
}

export class WorkspaceExcludes {
  private readonly ignoreCache = new Map<string, { stamp: string; rules: Ignore }>();

  /**
   * .gitignore support: the stable findFiles API has no "use ignore files" flag (findFiles2 is
   * proposed), so the folder's root .gitignore and .git/info/exclude are parsed with the `ignore`
   * package. Nested .gitignore files are not read. The parsed rules are kept until one of the two
   * files changes (checked by modification time on every use).
   */
  async gitignoreOf(folder: vscode.WorkspaceFolder): Promise<Ignore> {
    const files = ['.gitignore', '.git/info/exclude'].map((rel) => vscode.Uri.joinPath(folder.uri, rel));
    const stamps = await Promise.all(files.map((uri) => vscode.workspace.fs.stat(uri).then((s) => `${s.mtime}:${s.size}`, () => '-')));
    const key = folder.uri.toString();
    const cached = this.ignoreCache.get(key);
    if (cached && cached.stamp === stamps.join('|')) return cached.rules;
    const rules = ignore();
    for (const uri of files) {
      try {
        rules.add(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)));
      } catch { /* absent */ }
    }
    this.ignoreCache.set(key, { stamp: stamps.join('|'), rules });
    return rules;
  }

  async isExcluded(absPath: string, root: WorkspaceRoot): Promise<boolean> {
    const folder = (vscode.workspace.workspaceFolders ?? []).find((f) => f.uri.scheme === 'file' && samePath(f.uri.fsPath, root.fsPath));
    if (!folder) return false;
    const rel = path.relative(folder.uri.fsPath, absPath).split(path.sep).join('/');
    if (!rel || rel.startsWith('../')) return false;
    if (rel === '.git' || rel.startsWith('.git/') || (await this.gitignoreOf(folder)).ignores(rel)) return true;
    // files.exclude globs usually name a folder (`**/node_modules`): a file under it is excluded too.
    const segments = rel.split('/');
    const prefixes = segments.map((_, i) => segments.slice(0, i + 1).join('/'));
    return excludePatterns(folder).some((glob) => prefixes.some((p) => minimatch(p, glob, { dot: true })));
  }
}
