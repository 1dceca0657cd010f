// Writes a file so that a crash leaves either the old or the new content, never a torn one: a temp
// file in the same folder, fsynced, then renamed over the target. Shared by the stores.
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import * as path from 'node:path';

let tempCounter = 0;

export async function atomicWriteFile(file: string, text: string, beforeRename?: (temp: string, file: string) => Promise<void> | void): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.tmp-${process.pid}-${++tempCounter}`;
  const handle = await open(temp, 'w');
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    if (beforeRename) await beforeRename(temp, file);
    await rename(temp, file);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}
