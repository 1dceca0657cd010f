// Checkpoint file access and a workspace lister on node:fs, for the unit tests (the extension's
// are in src/host/checkpoints/checkpointFiles.ts, on workspace.fs and VS Code's file search).
import { mkdir, readdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { WorkspaceLister } from '../../../src/core/checkpoints/recorder';
import type { RestoreFiles } from '../../../src/core/checkpoints/restore';

export const nodeFiles: RestoreFiles = {
  size: (p) => stat(p).then((s) => s.size, () => undefined),
  read: (p) => readFile(p),
  write: async (p, bytes) => { await mkdir(path.dirname(p), { recursive: true }); await writeFile(p, bytes); },
  delete: (p) => unlink(p),
};

/** Every file under `folder`, at most `maxFiles` of them. */
export const walkLister = (folder: string): WorkspaceLister => async (maxFiles) => {
  const found = new Map<string, { mtime: number; size: number }>();
  let truncated = false;
  const walk = async (dir: string) => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (found.size >= maxFiles) truncated = true;
      else { const s = await stat(full); found.set(full, { mtime: s.mtimeMs, size: s.size }); }
    }
  };
  await walk(folder);
  return { files: found, truncated };
};
