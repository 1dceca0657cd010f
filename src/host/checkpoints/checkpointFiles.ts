// File access for checkpoints. Reads come from disk (node:fs: a snapshot before a command may read
// thousands of small files); writes and deletions go through vscode.workspace.fs, so editors that
// show a restored file reload it. A restore never writes through a link: a link a command left in
// place of a file is removed first, and a file whose folder now leads outside the workspace is
// refused (reported as failed, with that reason).
import { lstat, readFile, realpath, stat } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ListedFile, WorkspaceLister } from '../../core/checkpoints/recorder';
import type { RestoreFiles } from '../../core/checkpoints/restore';
import type { ToolHost } from '../../core/tools/toolHost';

const fileFolders = () => (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');

const within = (root: string, file: string) => {
  const rel = path.relative(root, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
};

/** Whether `absPath` lies inside a file-system workspace folder open now. */
export function isInWorkspace(absPath: string): boolean {
  return fileFolders().some((f) => within(f.uri.fsPath, absPath));
}

async function folderStaysInside(absPath: string): Promise<boolean> {
  let folder = path.dirname(absPath);
  // The nearest folder that exists decides where a write lands.
  for (;;) {
    const real = await realpath(folder).catch(() => undefined);
    if (real) {
      const roots = await Promise.all(fileFolders().map((f) => realpath(f.uri.fsPath).catch(() => f.uri.fsPath)));
      return roots.some((root) => real === root || within(root, real));
    }
    const up = path.dirname(folder);
    if (up === folder) return false;
    folder = up;
  }
}

export const checkpointFiles: RestoreFiles = {
  size: (absPath) => stat(absPath).then((s) => (s.isFile() ? s.size : undefined), () => undefined),
  read: (absPath) => readFile(absPath),
  async write(absPath, bytes) {
    if (!(await folderStaysInside(absPath))) throw new Error('its folder now leads outside the workspace');
    const uri = vscode.Uri.file(absPath);
    if ((await lstat(absPath).catch(() => undefined))?.isSymbolicLink()) await vscode.workspace.fs.delete(uri, { useTrash: false });
    await vscode.workspace.fs.writeFile(uri, bytes);
  },
  async delete(absPath) {
    await vscode.workspace.fs.delete(vscode.Uri.file(absPath), { useTrash: false });
  },
};

/**
 * The workspace's files as the tools see them (files.exclude, search.exclude, .gitignore and .git
 * left out: the tools' findFiles), with modification time and size, at most `maxFiles` of them.
 */
export function workspaceLister(host: Pick<ToolHost, 'findFiles'>): WorkspaceLister {
  return async (maxFiles) => {
    const found = await host.findFiles('**/*', maxFiles + 1, new AbortController().signal);
    const files = new Map<string, ListedFile>();
    for (const file of found.slice(0, maxFiles)) {
      const s = await stat(file).catch(() => undefined);
      if (s?.isFile()) files.set(file, { mtime: s.mtimeMs, size: s.size });
    }
    return { files, truncated: found.length > maxFiles };
  };
}
