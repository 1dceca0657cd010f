// Proposed edits under review. The right side of the diff is a document of the in-memory file
// system `aiml-proposal:` (writable, so the user can adjust the proposal before applying it);
// the left side is a read-only snapshot of the text the proposal was computed from
// (`aiml-proposal-base:`), so the diff shows exactly the hunks listed on the chat card.
// Nothing in this module writes to the user's files: see applyTextEdit in workspaceEdits.ts.
import * as vscode from 'vscode';
import type { EditProposal, ProposalReview } from '../../core/tools/toolHost';

export const PROPOSAL_SCHEME = 'aiml-proposal';
export const PROPOSAL_BASE_SCHEME = 'aiml-proposal-base';

type Decision = 'apply' | 'discard';

/** Writable in-memory files holding the proposed texts. Only whole-file reads and writes happen. */
class ProposalFileSystem implements vscode.FileSystemProvider {
  private readonly files = new Map<string, { data: Uint8Array; mtime: number; ctime: number }>();
  private readonly changes = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changes.event;

  set(uri: vscode.Uri, text: string): void {
    const now = Date.now();
    const existing = this.files.get(uri.path);
    this.files.set(uri.path, { data: new TextEncoder().encode(text), mtime: now, ctime: existing?.ctime ?? now });
    this.changes.fire([{ type: existing ? vscode.FileChangeType.Changed : vscode.FileChangeType.Created, uri }]);
  }
  text(uri: vscode.Uri): string | undefined {
    const file = this.files.get(uri.path);
    return file ? new TextDecoder().decode(file.data) : undefined;
  }
  delete(uri: vscode.Uri): void {
    if (this.files.delete(uri.path)) this.changes.fire([{ type: vscode.FileChangeType.Deleted, uri }]);
  }

  watch(): vscode.Disposable { return new vscode.Disposable(() => undefined); }
  stat(uri: vscode.Uri): vscode.FileStat {
    const file = this.files.get(uri.path);
    if (!file) {
      // The folders above a proposal exist implicitly.
      if ([...this.files.keys()].some((p) => p.startsWith(uri.path.endsWith('/') ? uri.path : `${uri.path}/`))) return { type: vscode.FileType.Directory, ctime: 0, mtime: 0, size: 0 };
      throw vscode.FileSystemError.FileNotFound(uri);
    }
    return { type: vscode.FileType.File, ctime: file.ctime, mtime: file.mtime, size: file.data.length };
  }
  readDirectory(): [string, vscode.FileType][] { return []; }
  createDirectory(): void { /* folders are implicit */ }
  readFile(uri: vscode.Uri): Uint8Array {
    const file = this.files.get(uri.path);
    if (!file) throw vscode.FileSystemError.FileNotFound(uri);
    return file.data;
  }
  writeFile(uri: vscode.Uri, content: Uint8Array): void {
    // Only proposals this extension opened can be saved (Ctrl+S in the diff keeps the user's changes).
    if (!this.files.has(uri.path)) throw vscode.FileSystemError.NoPermissions(uri);
    this.set(uri, new TextDecoder().decode(content));
  }
  rename(): void { throw vscode.FileSystemError.NoPermissions('proposals cannot be renamed'); }
}

export interface ReviewOptions {
  /** Diff editor title, e.g. "app.ts ↔ proposed edit". */
  title: string;
  /** Called by the editor-title Apply / Discard buttons of this proposal's diff. */
  onDecision(decision: Decision): void;
}

export class ProposalManager implements vscode.Disposable {
  private readonly fs = new ProposalFileSystem();
  private readonly bases = new Map<string, string>();
  private readonly decisionHandlers = new Map<string, (decision: Decision) => void>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly baseChanges = new vscode.EventEmitter<vscode.Uri>();
  private providersRegistered = false;

  constructor() {
    this.disposables.push(this.baseChanges);
  }

  /**
   * The two schemes' providers, registered with the first proposal rather than in activate()
   * (issue 15: activate() in at most 15 ms): no document of theirs exists before one is opened.
   */
  private registerProviders(): void {
    if (this.providersRegistered) return;
    this.providersRegistered = true;
    this.disposables.push(
      vscode.workspace.registerFileSystemProvider(PROPOSAL_SCHEME, this.fs, { isCaseSensitive: true }),
      vscode.workspace.registerTextDocumentContentProvider(PROPOSAL_BASE_SCHEME, {
        onDidChange: this.baseChanges.event,
        provideTextDocumentContent: (uri) => this.bases.get(uri.path) ?? '',
      }),
    );
  }

  /** The proposal id of a proposal document (for the editor-title buttons), if it is one. */
  idOf(uri: vscode.Uri | undefined): string | undefined {
    if (!uri || (uri.scheme !== PROPOSAL_SCHEME && uri.scheme !== PROPOSAL_BASE_SCHEME)) return undefined;
    return decodeURIComponent(uri.path.split('/')[1] ?? '') || undefined;
  }

  /** Routes an editor-title Apply / Discard to whoever waits on the proposal. */
  decide(id: string, decision: Decision): boolean {
    const handler = this.decisionHandlers.get(id);
    if (!handler) return false;
    handler(decision);
    return true;
  }

  async open(proposal: EditProposal, options: ReviewOptions): Promise<ProposalReview> {
    this.registerProviders();
    // The file name is kept at the end of the path so the proposal gets the file's language mode.
    const suffix = `/${encodeURIComponent(proposal.id)}/${proposal.displayPath.replace(/^\/+/, '')}`;
    const right = vscode.Uri.from({ scheme: PROPOSAL_SCHEME, path: suffix });
    const left = vscode.Uri.from({ scheme: PROPOSAL_BASE_SCHEME, path: suffix });
    this.bases.set(left.path, proposal.baseText);
    this.baseChanges.fire(left);
    this.fs.set(right, proposal.proposedText);
    this.decisionHandlers.set(proposal.id, options.onDecision);
    const show = () => vscode.commands.executeCommand('vscode.diff', left, right, options.title, { preview: false, preserveFocus: true });
    await show();
    return {
      currentText: () => this.documentText(right) ?? proposal.proposedText,
      onDidChange: (listener) => vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.toString() === right.toString() && e.contentChanges.length) listener(e.document.getText());
      }),
      reveal: async () => { await show(); },
      close: async () => {
        this.decisionHandlers.delete(proposal.id);
        await this.closeDiff(right);
        this.fs.delete(right);
        this.bases.delete(left.path);
      },
    };
  }

  /** The open document's text (with unsaved changes), else what was last saved into the proposal. */
  private documentText(uri: vscode.Uri): string | undefined {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    return doc ? doc.getText() : this.fs.text(uri);
  }

  private async closeDiff(right: vscode.Uri): Promise<void> {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === right.toString());
    // A dirty proposal would make closing ask "Save changes?"; saving writes only to memory.
    if (doc?.isDirty) await doc.save();
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => {
      const input = t.input;
      if (input instanceof vscode.TabInputTextDiff) return input.modified.toString() === right.toString();
      return input instanceof vscode.TabInputText && input.uri.toString() === right.toString();
    });
    if (tabs.length) await vscode.window.tabGroups.close(tabs, true);
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
    this.decisionHandlers.clear();
  }
}
