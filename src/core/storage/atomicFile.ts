// One way to write a file in global storage: a temp file in the same folder, fsync, rename over
// the target, fsync of the folder (so the rename itself survives a power cut). A crash leaves
// either the old file or the new one, never half of one; when any step fails the temp file is
// removed, so failed writes leave nothing behind. Every store (conversations, their index,
// batches) writes through here.
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import * as path from 'node:path';

export type WriteStage = 'open' | 'write' | 'fsync' | 'rename' | 'fsyncFolder';

export interface AtomicWriteOptions {
  /** Test seam: runs before each stage; a throw simulates that stage failing (disk full, crash). */
  beforeStage?: (stage: WriteStage, tempPath: string, finalPath: string) => Promise<void> | void;
}

/** Folder fsync is not supported everywhere (Windows refuses to open a folder for it). */
// Stryker disable next-line StringLiteral,ArrayDeclaration: platform-only codes (Windows, some network file systems); a folder fsync on the Linux test machine never fails with them
const FOLDER_SYNC_UNSUPPORTED = new Set(['EISDIR', 'EPERM', 'EINVAL', 'EACCES', 'ENOTSUP', 'EBADF']);

export async function writeFileAtomic(file: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const folder = path.dirname(file);
  await mkdir(folder, { recursive: true });
  const temp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  const stage = async (name: WriteStage): Promise<void> => {
    await options.beforeStage?.(name, temp, file);
  };
  try {
    await stage('open');
    const handle = await open(temp, 'wx');
    try {
      await stage('write');
      await handle.writeFile(data);
      await stage('fsync');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await stage('rename');
    await rename(temp, file);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await stage('fsyncFolder');
  await syncFolder(folder);
}

export function writeJsonAtomic(file: string, value: unknown, options?: AtomicWriteOptions): Promise<void> {
  return writeFileAtomic(file, JSON.stringify(value), options);
}

export type JsonRead = { kind: 'missing' } | { kind: 'ok'; value: unknown } | { kind: 'invalid'; problem: string };

/** Reads and parses a JSON file. Missing and unparsable are answers; other I/O errors throw. */
export async function readJsonFile(file: string): Promise<JsonRead> {
  let text: string;
  try {
    // Stryker disable next-line StringLiteral: equivalent: without an encoding readFile gives a Buffer, which JSON.parse decodes as UTF-8 all the same
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    throw error;
  }
  try {
    return { kind: 'ok', value: JSON.parse(text) };
  } catch (error) {
    return { kind: 'invalid', problem: `not valid JSON (${(error as Error).message})` };
  }
}

async function syncFolder(folder: string): Promise<void> {
  let handle;
  try {
    handle = await open(folder, 'r');
    await handle.sync();
  } catch (error) {
    // Stryker disable next-line ConditionalExpression,LogicalOperator,StringLiteral: platform-only: the codes that mean "no folder fsync here" never occur on Linux, and every error that can be provoked here throws under each variant
    if (!FOLDER_SYNC_UNSUPPORTED.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
  } finally {
    await handle?.close();
  }
}
