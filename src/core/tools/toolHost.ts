// What the tools need from the editor. The VS Code implementation is src/host/tools/vscodeToolHost.ts;
// unit tests use an in-memory fake. Every path here is an absolute, already confined real path.
import type { WorkspaceRoot } from './paths';

export type EntryKind = 'file' | 'directory' | 'symlink' | 'other';

export interface DirectoryEntry {
  name: string;
  kind: EntryKind;
}

/** A file's current content: the unsaved text of an open editor wins over the bytes on disk. */
export type FileContent = { source: 'disk'; bytes: Uint8Array } | { source: 'editor'; text: string };

export interface SelectionInfo {
  /** Absolute path of the active editor's file; undefined for untitled or non-file documents. */
  absPath?: string;
  /** For untitled documents and other schemes: a name to show. */
  documentName: string;
  languageId: string;
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
  text: string;
  isEmpty: boolean;
}

export type DiagnosticSeverity = 'error' | 'warning' | 'info' | 'hint';

export interface DiagnosticInfo {
  absPath: string;
  /** 1-based. */
  line: number;
  column: number;
  severity: DiagnosticSeverity;
  message: string;
  source?: string;
  code?: string;
}

export interface EditProposal {
  /** The tool_use id (or another unique id for proposals outside the chat). */
  id: string;
  absPath: string;
  displayPath: string;
  /** '' for a file to create. */
  baseText: string;
  proposedText: string;
  create: boolean;
}

/** A proposal open for review (in VS Code: a diff editor whose right side the user may edit). */
export interface ProposalReview {
  /** The proposed text as it is now, including the user's own changes to it. */
  currentText(): string;
  /** Called whenever the user changes the proposed text. */
  onDidChange(listener: (text: string) => void): { dispose(): void };
  /** Brings the diff back to the front (the card's "show diff"). */
  reveal(): Promise<void>;
  /** Closes the diff and forgets the proposal. */
  close(): Promise<void>;
}

export class StaleFileError extends Error {
  constructor(message = 'the file changed after the edit was proposed') {
    super(message);
    this.name = 'StaleFileError';
  }
}

export class FileExistsError extends Error {
  constructor(message = 'the file exists already') {
    super(message);
    this.name = 'FileExistsError';
  }
}

export interface ToolHost {
  /** File-system workspace folders (other schemes are left out: tools work on files only). */
  roots(): WorkspaceRoot[];
  /** Rejects when the file does not exist or cannot be read. */
  readFile(absPath: string): Promise<FileContent>;
  stat(absPath: string): Promise<{ kind: EntryKind; size: number } | undefined>;
  listDirectory(absPath: string): Promise<DirectoryEntry[]>;
  /** Absolute paths of files matching `glob` (workspace-relative), honouring files.exclude, search.exclude and .gitignore. */
  findFiles(glob: string, maxResults: number, signal: AbortSignal): Promise<string[]>;
  /**
   * Whether a file is excluded by files.exclude, search.exclude or the folder's .gitignore (the
   * rules findFiles applies), so a link found elsewhere cannot bring an excluded file back in.
   */
  isExcluded(absPath: string, root: WorkspaceRoot): Promise<boolean>;
  /** The ripgrep executable shipped with the editor (search_text runs it out of process), if found. */
  ripgrepPath(): string | undefined;
  activeSelection(): SelectionInfo | undefined;
  /** Problems of one file, or of every file when `absPath` is undefined. */
  diagnostics(absPath?: string): DiagnosticInfo[];
  /** Shows a proposal for review; nothing touches the file. */
  openProposal(proposal: EditProposal): Promise<ProposalReview>;
  /**
   * Writes `newText` as one undoable edit. Throws StaleFileError when the file no longer has
   * `baseText` (an edit must never land on content it was not computed from), FileExistsError
   * when `create` is set and the file appeared meanwhile.
   */
  applyEdit(edit: { absPath: string; baseText: string; newText: string; create: boolean }): Promise<void>;
}
