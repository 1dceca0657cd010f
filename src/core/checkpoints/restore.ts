// Carries out a restore plan: first records what the files are now (the undo record), then writes
// back or deletes each file. A file that fails is reported with the reason; the others go on.
import { planRestore, planUndo, type RestorePlan } from './model';
import { currentState, type CheckpointFiles } from './recorder';
import type { CheckpointStore } from './store';

export interface RestoreFiles extends CheckpointFiles {
  write(absPath: string, bytes: Uint8Array): Promise<void>;
  delete(absPath: string): Promise<void>;
}

export interface RestoreResult {
  plan: RestorePlan;
  written: string[];
  deleted: string[];
  failed: Array<{ path: string; reason: string }>;
}

async function carryOut(store: CheckpointStore, conversationId: string, plan: RestorePlan, files: RestoreFiles): Promise<RestoreResult> {
  const result: RestoreResult = { plan, written: [], deleted: [], failed: [] };
  for (const write of plan.writes) {
    try {
      await files.write(write.path, await store.readBlob(conversationId, write.blob));
      result.written.push(write.path);
    } catch (error) {
      result.failed.push({ path: write.path, reason: (error as Error).message });
    }
  }
  for (const file of plan.deletes) {
    try {
      if ((await files.size(file)) !== undefined) await files.delete(file);
      result.deleted.push(file);
    } catch (error) {
      result.failed.push({ path: file, reason: (error as Error).message });
    }
  }
  return result;
}

export class Restorer {
  constructor(private readonly store: CheckpointStore, private readonly files: RestoreFiles, private readonly isInWorkspace: (path: string) => boolean) {}

  async plan(conversationId: string, turnId: string): Promise<RestorePlan | undefined> {
    return planRestore(await this.store.load(conversationId), turnId, this.isInWorkspace);
  }

  /** Restores the files of `plan`, keeping what they are now as the undo record. */
  async restore(conversationId: string, plan: RestorePlan): Promise<RestoreResult> {
    const targets = [...plan.writes.map((w) => w.path), ...plan.deletes];
    const now = [];
    for (const target of targets) now.push({ path: target, state: await currentState(this.files, target) });
    await this.store.setUndo(conversationId, plan.turnId, now);
    return carryOut(this.store, conversationId, plan, this.files);
  }

  /** Puts back what the last restore overwrote; undefined when there is nothing to undo. */
  async undo(conversationId: string): Promise<RestoreResult | undefined> {
    const plan = planUndo(await this.store.load(conversationId), this.isInWorkspace);
    if (!plan) return undefined;
    const result = await carryOut(this.store, conversationId, plan, this.files);
    if (result.failed.length === 0) await this.store.clearUndo(conversationId);
    return result;
  }
}
