// Checkpoints as data: what each turn found in a file before its first change to it, and the plan
// a restore follows. Pure: no file system here (store.ts persists it, restore.ts carries it out).
//
// A turn records a file once, before its first change in that turn. Restoring a user turn puts
// every file that this turn or a later one touched back to the earliest state recorded at or after
// that turn, i.e. as it was just before the turn's answer changed anything.

/** What a file was before a turn changed it. */
export type FileState =
  /** Its bytes, stored once under their sha256. */
  | { kind: 'content'; blob: string; size: number }
  /** It did not exist: restoring deletes it. */
  | { kind: 'absent' }
  /** Known to have changed, but its earlier state was not kept (too large, over the snapshot cap, ...). */
  | { kind: 'unrestorable'; reason: string };

export interface FileRecord {
  /** Absolute path. */
  path: string;
  state: FileState;
}

export interface TurnRecord {
  /** The prompt message's id (TurnInfo.turnId). */
  turnId: string;
  createdAt: number;
  /** In the order the turn first touched them; one record per path. */
  files: FileRecord[];
}

/** The files a restore overwrote, as they were just before it: "Undo restore" puts them back. */
export interface UndoRecord {
  restoredTurnId: string;
  createdAt: number;
  files: FileRecord[];
}

export interface ConversationCheckpoints {
  conversationId: string;
  /** In the order the turns first recorded something (the conversation's order). */
  turns: TurnRecord[];
  undo?: UndoRecord;
}

/** Larger files are named as not restorable instead of being copied into global storage. */
export const MAX_CHECKPOINT_FILE_BYTES = 5 * 1024 * 1024;

export const emptyCheckpoints = (conversationId: string): ConversationCheckpoints => ({ conversationId, turns: [] });

export function hasRecord(checkpoints: ConversationCheckpoints, turnId: string, path: string): boolean {
  return checkpoints.turns.some((t) => t.turnId === turnId && t.files.some((f) => f.path === path));
}

/** Adds a turn's first record of `path`; a later record of the same path in the same turn is ignored. */
export function addRecord(checkpoints: ConversationCheckpoints, turnId: string, record: FileRecord, now: number): boolean {
  let turn = checkpoints.turns.find((t) => t.turnId === turnId);
  if (turn?.files.some((f) => f.path === record.path)) return false;
  if (!turn) {
    turn = { turnId, createdAt: now, files: [] };
    checkpoints.turns.push(turn);
  }
  turn.files.push(record);
  return true;
}

/** The turns a `Restore checkpoint` button belongs on: those after which files changed. */
export function turnsWithChanges(checkpoints: ConversationCheckpoints): string[] {
  return checkpoints.turns.filter((t) => t.files.length > 0).map((t) => t.turnId);
}

export interface RestorePlan {
  turnId: string;
  /** Files to write back, with the blob that holds their earlier bytes. */
  writes: Array<{ path: string; blob: string; size: number }>;
  /** Files that did not exist at that point. */
  deletes: string[];
  /** Files that changed but cannot be put back, each with the reason (never skipped silently). */
  unrestorable: Array<{ path: string; reason: string }>;
}

export const planSize = (plan: RestorePlan) => plan.writes.length + plan.deletes.length;

function planOf(turnId: string, records: Iterable<FileRecord>, isInWorkspace: (path: string) => boolean): RestorePlan {
  const plan: RestorePlan = { turnId, writes: [], deletes: [], unrestorable: [] };
  for (const { path, state } of records) {
    if (state.kind === 'unrestorable') plan.unrestorable.push({ path, reason: state.reason });
    else if (!isInWorkspace(path)) plan.unrestorable.push({ path, reason: 'outside the workspace folders open now' });
    else if (state.kind === 'absent') plan.deletes.push(path);
    else plan.writes.push({ path, blob: state.blob, size: state.size });
  }
  return plan;
}

/**
 * The plan to bring every file that turn `turnId` or a later turn changed back to its state
 * before `turnId`'s answer. Undefined when the turn recorded nothing.
 */
export function planRestore(checkpoints: ConversationCheckpoints, turnId: string, isInWorkspace: (path: string) => boolean): RestorePlan | undefined {
  const start = checkpoints.turns.findIndex((t) => t.turnId === turnId);
  if (start === -1) return undefined;
  const earliest = new Map<string, FileRecord>();
  for (const turn of checkpoints.turns.slice(start)) {
    for (const record of turn.files) if (!earliest.has(record.path)) earliest.set(record.path, record);
  }
  return planOf(turnId, earliest.values(), isInWorkspace);
}

/** The plan that undoes the last restore. */
export function planUndo(checkpoints: ConversationCheckpoints, isInWorkspace: (path: string) => boolean): RestorePlan | undefined {
  return checkpoints.undo ? planOf(checkpoints.undo.restoredTurnId, checkpoints.undo.files, isInWorkspace) : undefined;
}

/** Forgets `turnId` and every later turn (their messages were dropped). */
export function dropTurnsFrom(checkpoints: ConversationCheckpoints, turnId: string): void {
  const start = checkpoints.turns.findIndex((t) => t.turnId === turnId);
  if (start !== -1) checkpoints.turns.splice(start);
}

/** Blobs no record refers to any more (after dropped turns or a replaced undo record). */
export function unreferencedBlobs(checkpoints: ConversationCheckpoints, stored: Iterable<string>): string[] {
  const used = new Set<string>();
  const all = [...checkpoints.turns.flatMap((t) => t.files), ...(checkpoints.undo?.files ?? [])];
  // Stryker disable next-line ConditionalExpression: equivalent: other states add `undefined`, which is never a stored blob name
  for (const { state } of all) if (state.kind === 'content') used.add(state.blob);
  return [...stored].filter((b) => !used.has(b));
}
