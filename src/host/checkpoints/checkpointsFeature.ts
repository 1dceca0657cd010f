// `Restore checkpoint` (issue 13): records each answer's checkpoints in global storage, tells the
// chat view which user turns have one, and restores a turn: the files are listed in a modal
// question first, written back through workspace.fs, then the user chooses to drop or keep the
// later turns, and "Undo restore" (notification button and command) puts the files back again.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { planSize, turnsWithChanges, type RestorePlan } from '../../core/checkpoints/model';
import { DEFAULT_SNAPSHOT_LIMITS, TurnCheckpointer, type TurnCheckpoint, type WorkspaceLister } from '../../core/checkpoints/recorder';
import type { ToolHost } from '../../core/tools/toolHost';
import { Restorer, type RestoreResult } from '../../core/checkpoints/restore';
import { CheckpointStore } from '../../core/checkpoints/store';
import type { ChatSession } from '../../core/chat/session/chatSession';
import type { TurnInfo } from '../../core/chat/session/types';
import type { HostToWebview } from '../../shared/protocol';
import type { ChatFeature } from '../chatFeature';
import { registerTestOnlyCommands } from '../testCommands';
import { checkpointFiles, isInWorkspace, workspaceLister } from './checkpointFiles';

/** Test-only answers to the two questions (the integration tests cannot click a modal). */
export interface CheckpointAnswers {
  confirm?: boolean;
  laterTurns?: 'drop' | 'keep';
}

export interface RestoreReport {
  outcome: 'nothing' | 'busy' | 'cancelled' | 'restored' | 'undone';
  written: string[];
  deleted: string[];
  failed: Array<{ path: string; reason: string }>;
  unrestorable: Array<{ path: string; reason: string }>;
  dropped?: boolean;
}

const SHOWN_FILES = 10;
const RESTORE = 'Restore';
const DROP = 'Drop later turns';
const KEEP = 'Keep later turns';
const UNDO = 'Undo restore';

const display = (file: string) => vscode.workspace.asRelativePath(file, (vscode.workspace.workspaceFolders?.length ?? 0) > 1);

function listed(lines: string[]): string[] {
  return lines.length > SHOWN_FILES ? [...lines.slice(0, SHOWN_FILES), `… and ${lines.length - SHOWN_FILES} more`] : lines;
}

/** The modal's detail: every file that will be written or deleted (up to ten) and every one that cannot be restored. */
export function describePlan(plan: RestorePlan): string {
  const changes = [...plan.writes.map((w) => display(w.path)), ...plan.deletes.map((d) => `${display(d)} (did not exist: will be deleted)`)];
  const parts = [`Files to put back (${changes.length}):`, ...listed(changes)];
  if (plan.unrestorable.length) parts.push('', `Cannot be restored (${plan.unrestorable.length}):`, ...listed(plan.unrestorable.map((u) => `${display(u.path)}: ${u.reason}`)));
  return parts.join('\n');
}

/** Names every file that could not be written or deleted; false when there was none. */
function showFailures(result: RestoreResult): boolean {
  if (result.failed.length) void vscode.window.showErrorMessage(`AIML Chat: ${result.failed.length} file(s) could not be restored.`, { modal: true, detail: result.failed.map((f) => `${display(f.path)}: ${f.reason}`).join('\n') });
  return result.failed.length > 0;
}

const report = (outcome: RestoreReport['outcome'], plan?: RestorePlan, result?: RestoreResult): RestoreReport => ({
  outcome, written: result?.written ?? [], deleted: result?.deleted ?? [], failed: result?.failed ?? [], unrestorable: plan?.unrestorable ?? [],
});

export class CheckpointsFeature {
  readonly store: CheckpointStore;
  readonly restorer: Restorer;
  private chat: { session: ChatSession; post(message: HostToWebview): void } | undefined;
  private readonly lister: WorkspaceLister;

  constructor(private readonly services: { context: vscode.ExtensionContext; log: vscode.LogOutputChannel; testMode: boolean }, host: Pick<ToolHost, 'findFiles'>) {
    this.lister = workspaceLister(host);
    this.store = new CheckpointStore(path.join(services.context.globalStorageUri.fsPath, 'checkpoints'), { log: (m) => services.log.warn(m) });
    this.restorer = new Restorer(this.store, checkpointFiles, isInWorkspace);
  }

  /** The checkpoint one answer's tools record into. */
  forTurn(turn: TurnInfo): TurnCheckpoint {
    return new TurnCheckpointer(this.store, turn, checkpointFiles, this.lister, DEFAULT_SNAPSHOT_LIMITS, (m) => this.services.log.warn(m));
  }

  /** A conversation was deleted: its checkpoints go with it. */
  async forget(conversationId: string): Promise<void> {
    await this.store.deleteConversation(conversationId).catch((error: Error) => this.services.log.warn(`checkpoints of ${conversationId} could not be removed: ${error.message}`));
  }

  /** What the chat view calls: on each `ready`, and the button. */
  readonly viewActions = {
    onViewReady: () => void this.push(),
    restore: (turnId: string) => void this.restore(turnId).catch((error: Error) => this.fail(error)),
  };

  /**
   * Registers the commands now and connects to the sidebar's session and view once they are built
   * (on first use: the commands build them through `chat.ready()`).
   */
  attach(chat: Pick<ChatFeature, 'onBuilt' | 'ready'>): vscode.Disposable[] {
    const events: vscode.Disposable[] = [];
    chat.onBuilt((parts) => {
      this.chat = { session: parts.session, post: (message) => parts.view.post(message) };
      events.push(parts.session.subscribe((event) => {
        if (event.type === 'conversationShown' || (event.type === 'busyChanged' && !event.busy)) void this.push();
      }));
    });
    return [
      { dispose: () => events.forEach((event) => event.dispose()) },
      vscode.commands.registerCommand('aimlChat.undoRestoreCheckpoint', () => chat.ready().then(() => this.undo()).catch((error: Error) => this.fail(error))),
      ...registerTestOnlyCommands(vscode.commands, this.services.testMode, {
        'aimlChat.internal.restoreCheckpoint': async (turnId: string, answers: CheckpointAnswers) => { await chat.ready(); return this.restore(turnId, answers); },
        'aimlChat.internal.undoRestoreCheckpoint': async () => { await chat.ready(); return this.undo(); },
        'aimlChat.internal.checkpointTurns': async () => turnsWithChanges(await this.store.load((await chat.ready()).session.conversation.id)),
      }),
    ];
  }

  /** Tells the view which user turns carry `Restore checkpoint`. */
  private async push(): Promise<void> {
    if (!this.chat) return;
    const checkpoints = await this.store.load(this.chat.session.conversation.id);
    if (checkpoints.conversationId === this.chat.session.conversation.id) this.chat.post({ type: 'checkpoints', turnIds: turnsWithChanges(checkpoints) });
  }

  async restore(turnId: string, answers?: CheckpointAnswers): Promise<RestoreReport> {
    const session = this.chat?.session;
    if (!session) return report('nothing');
    if (session.isBusy) {
      void vscode.window.showWarningMessage('AIML Chat: stop or finish the answer before restoring a checkpoint.');
      return report('busy');
    }
    const conversationId = session.conversation.id;
    const plan = await this.restorer.plan(conversationId, turnId);
    if (!plan) {
      void vscode.window.showInformationMessage('AIML Chat: no file changed after this turn.');
      return report('nothing');
    }
    if (planSize(plan) === 0) {
      void vscode.window.showWarningMessage('AIML Chat: the files this turn changed cannot be restored.', { modal: true, detail: describePlan(plan) });
      return report('nothing', plan);
    }
    const confirmed = answers?.confirm ?? (await vscode.window.showWarningMessage(
      `Restore checkpoint: put ${planSize(plan)} file(s) back as they were before this turn?`,
      { modal: true, detail: describePlan(plan) }, RESTORE)) === RESTORE;
    if (!confirmed) return report('cancelled', plan);

    const result = await this.restorer.restore(conversationId, plan);
    const done = report('restored', plan, result);
    showFailures(result);
    const later = answers?.laterTurns ?? ((await vscode.window.showInformationMessage(
      `Restored ${result.written.length + result.deleted.length} file(s). Drop this turn and the later ones from the conversation too?`,
      { modal: true, detail: 'Drop: the conversation goes back to before this prompt, as the files did.' },
      DROP, KEEP)) === DROP ? 'drop' : 'keep');
    if (later === 'drop' && (await session.dropFrom(turnId))) {
      await this.store.dropTurnsFrom(conversationId, turnId);
      done.dropped = true;
    }
    await this.push();
    if (!answers) {
      void vscode.window.showInformationMessage('AIML Chat: checkpoint restored.', UNDO).then((choice) => {
        if (choice === UNDO) void this.undo().catch((error: Error) => this.fail(error));
      });
    }
    return done;
  }

  /** Puts back what the last restore of the current conversation overwrote. */
  async undo(): Promise<RestoreReport> {
    const session = this.chat?.session;
    const result = session && !session.isBusy ? await this.restorer.undo(session.conversation.id) : undefined;
    if (!result) {
      void vscode.window.showInformationMessage('AIML Chat: no restore to undo in this conversation.');
      return report('nothing');
    }
    if (!showFailures(result)) void vscode.window.showInformationMessage(`AIML Chat: restore undone (${result.written.length + result.deleted.length} file(s)).`);
    return report('undone', result.plan, result);
  }

  private fail(error: Error): void {
    this.services.log.error(`checkpoint: ${error.stack ?? error.message}`);
    void vscode.window.showErrorMessage(`AIML Chat: the checkpoint could not be restored: ${error.message}`);
  }
}
