// A lock beside a file, for read-merge-write across processes: two VS Code windows are two
// extension hosts writing the same global storage. The lock is a `<file>.lock` created exclusively
// (O_EXCL works on local disks and NFSv3+); it is held for the few milliseconds of one merge and
// write. A lock older than `staleMs` belongs to a host that died mid-write and is broken. When the
// lock cannot be had in time the work runs anyway: saving unmerged beats not saving.
import { mkdir, open, stat, unlink } from 'node:fs/promises';
import * as path from 'node:path';

export interface LockOptions {
  /** How long to wait for another holder. */
  waitMs?: number;
  /** A lock file older than this is left over from a crash. */
  staleMs?: number;
}

export async function withFileLock<T>(file: string, work: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const lock = `${file}.lock`;
  const held = await acquire(lock, options.waitMs ?? 15_000, options.staleMs ?? 10_000);
  try {
    return await work();
  } finally {
    if (held) await unlink(lock).catch(() => undefined);
  }
}

async function acquire(lock: string, waitMs: number, staleMs: number): Promise<boolean> {
  await mkdir(path.dirname(lock), { recursive: true });
  const deadline = Date.now() + waitMs;
  // Stryker disable next-line MethodExpression,ArithmeticOperator: the retry pace only (how often a waiting window looks again); no result depends on it
  for (let delay = 2; ; delay = Math.min(delay * 2, 50)) {
    try {
      const handle = await open(lock, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return true;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // Stryker disable next-line BooleanLiteral: differs only if another process creates the lock during the unlocked work after a non-EEXIST failure, which cannot be provoked as root on Linux
      if (code !== 'EEXIST') return false; // no rights to create it: work unlocked
    }
    if (await isStale(lock, staleMs)) {
      await unlink(lock).catch(() => undefined);
      continue;
    }
    // Stryker disable next-line EqualityOperator: the boundary is one tick of a millisecond clock
    if (Date.now() >= deadline) return false;
    // Stryker disable next-line ArithmeticOperator: the jitter of the retry pace only
    await new Promise((resolve) => setTimeout(resolve, delay + Math.random() * delay));
  }
}

async function isStale(lock: string, staleMs: number): Promise<boolean> {
  try {
    // Stryker disable next-line EqualityOperator: the boundary is one tick of a millisecond clock
    return Date.now() - (await stat(lock)).mtimeMs > staleMs;
  } catch
  // Stryker disable next-line BlockStatement: a lock gone meanwhile is tried again either way (an empty block answers undefined, which is falsy; between `catch` and its block, where Stryker reads it)
  {
    // Stryker disable next-line BooleanLiteral: `true` only unlinks the absent file first, then tries again the same
    return false; // released meanwhile: try again
  }
}
