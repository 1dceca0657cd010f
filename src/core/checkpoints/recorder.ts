// Records a turn's checkpoints while its tools run: a file's state before the turn's first write
// to it (edits), and for run_command a capped snapshot of the workspace before the command,
// compared with a listing afterwards, so files the command changed, created or deleted are
// recorded too. What the snapshot could not keep is recorded as not restorable, with the reason.
import { MAX_CHECKPOINT_FILE_BYTES } from './model';
import type { CheckpointStore, RecordedState } from './store';

/** File access the recorder needs (the host's: node:fs or workspace.fs). Paths are absolute. */
export interface CheckpointFiles {
  /** Size in bytes, or undefined when there is no such file. */
  size(absPath: string): Promise<number | undefined>;
  read(absPath: string): Promise<Uint8Array>;
}

export interface ListedFile {
  mtime: number;
  size: number;
}

export interface WorkspaceListing {
  files: Map<string, ListedFile>;
  /** More files than the cap: the listing holds only the first `maxFiles`. */
  truncated: boolean;
}

/** Lists the workspace's files (honouring the user's excludes), at most `maxFiles` of them. */
export type WorkspaceLister = (maxFiles: number) => Promise<WorkspaceListing>;

export interface SnapshotLimits {
  maxFiles: number;
  /** Files up to this size have their bytes kept before a command. */
  maxKeptFileBytes: number;
  /** Bytes kept over all files of one snapshot. */
  maxKeptTotalBytes: number;
}

export const DEFAULT_SNAPSHOT_LIMITS: SnapshotLimits = { maxFiles: 5000, maxKeptFileBytes: 1024 * 1024, maxKeptTotalBytes: 32 * 1024 * 1024 };

export interface Snapshot {
  listing: WorkspaceListing;
  kept: Map<string, Uint8Array>;
  /** Why a listed file's bytes were not kept. */
  notKept: Map<string, string>;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

export async function takeSnapshot(list: WorkspaceLister, files: CheckpointFiles, limits: SnapshotLimits): Promise<Snapshot> {
  const listing = await list(limits.maxFiles);
  const kept = new Map<string, Uint8Array>();
  const notKept = new Map<string, string>();
  let total = 0;
  for (const [file, info] of listing.files) {
    if (info.size > limits.maxKeptFileBytes) { notKept.set(file, `larger than ${mb(limits.maxKeptFileBytes)} before the command, so it was not kept`); continue; }
    if (total + info.size > limits.maxKeptTotalBytes) { notKept.set(file, `the snapshot before the command reached its ${mb(limits.maxKeptTotalBytes)} cap`); continue; }
    try {
      const bytes = await files.read(file);
      kept.set(file, bytes);
      total += bytes.length;
    } catch (error) {
      notKept.set(file, `could not be read before the command (${(error as Error).message})`);
    }
  }
  return { listing, kept, notKept };
}

/** What the files a command changed, created or deleted were before it. */
export async function compareSnapshot(before: Snapshot, after: WorkspaceListing, files: CheckpointFiles, maxFiles: number): Promise<Array<{ path: string; state: RecordedState }>> {
  const changes: Array<{ path: string; state: RecordedState }> = [];
  const earlier = (file: string): RecordedState => {
    const bytes = before.kept.get(file);
    return bytes ? { kind: 'content', bytes } : { kind: 'unrestorable', reason: before.notKept.get(file) ?? 'its content before the command was not kept' };
  };
  for (const [file, was] of before.listing.files) {
    const now = after.files.get(file);
    // Missing from a truncated listing is not proof of deletion: ask the file system.
    const gone = now === undefined && (await files.size(file)) === undefined;
    if (gone || (now && (now.mtime !== was.mtime || now.size !== was.size))) changes.push({ path: file, state: earlier(file) });
  }
  for (const file of after.files.keys()) {
    if (before.listing.files.has(file)) continue;
    changes.push({
      path: file,
      state: before.listing.truncated
        ? { kind: 'unrestorable', reason: `the workspace has more than ${maxFiles} files, so whether it existed before the command is unknown` }
        : { kind: 'absent' },
    });
  }
  if (before.listing.truncated || after.truncated) {
    changes.push({ path: untrackedMarker(maxFiles), state: { kind: 'unrestorable', reason: `the workspace has more than ${maxFiles} files; changes to the others were not tracked` } });
  }
  return changes;
}

/** The record that names the files a capped listing left out (there is no one path to name). */
export const untrackedMarker = (maxFiles: number) => `(files beyond the first ${maxFiles} of the workspace)`;

/** The checkpoints of one turn, as the tools see them. */
export interface TurnCheckpoint {
  /** Before a tool writes `absPath`: records its state if this turn has not yet. */
  beforeWrite(absPath: string): Promise<void>;
  /** Runs a command between two snapshots and records what it changed. */
  aroundCommand<T>(run: () => Promise<T>): Promise<T>;
}

export class TurnCheckpointer implements TurnCheckpoint {
  constructor(
    private readonly store: CheckpointStore,
    private readonly turn: { conversationId: string; turnId: string },
    private readonly files: CheckpointFiles,
    private readonly list: WorkspaceLister,
    private readonly limits: SnapshotLimits = DEFAULT_SNAPSHOT_LIMITS,
    private readonly log: (message: string) => void = () => undefined,
  ) {}

  async beforeWrite(absPath: string): Promise<void> {
    await this.record(absPath, () => currentState(this.files, absPath));
  }

  async aroundCommand<T>(run: () => Promise<T>): Promise<T> {
    let before: Snapshot | undefined;
    try {
      before = await takeSnapshot(this.list, this.files, this.limits);
    } catch (error) {
      this.log(`checkpoint: the workspace could not be listed before the command (${(error as Error).message}); its changes cannot be restored`);
    }
    try {
      return await run();
    } finally {
      if (before) {
        try {
          const after = await this.list(this.limits.maxFiles);
          for (const change of await compareSnapshot(before, after, this.files, this.limits.maxFiles)) await this.record(change.path, async () => change.state);
        } catch (error) {
          // The command ran; its result must reach the model whatever happened to the checkpoint.
          this.log(`checkpoint: what the command changed could not be recorded (${(error as Error).message})`);
        }
      }
    }
  }

  private async record(absPath: string, state: () => Promise<RecordedState>): Promise<void> {
    await this.store.record(this.turn.conversationId, this.turn.turnId, absPath, state);
  }
}

/** A file's state now, as a checkpoint keeps it (too large: named, not copied). */
export async function currentState(files: CheckpointFiles, absPath: string, maxBytes = MAX_CHECKPOINT_FILE_BYTES): Promise<RecordedState> {
  const size = await files.size(absPath);
  if (size === undefined) return { kind: 'absent' };
  if (size > maxBytes) return { kind: 'unrestorable', reason: `larger than ${mb(maxBytes)} (${mb(size)})` };
  return { kind: 'content', bytes: await files.read(absPath) };
}
