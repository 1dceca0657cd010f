// The ToolHost on VS Code: workspace.fs reads that prefer an open editor's unsaved text,
// findFiles with files.exclude + search.exclude + .gitignore, diagnostics from the languages API,
// and reviewed edits through the ProposalManager and one WorkspaceEdit.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { WorkspaceRoot } from '../../core/tools/paths';
import { findRipgrep } from '../../core/tools/ripgrep';
import type { DiagnosticInfo, DiagnosticSeverity, DirectoryEntry, EditProposal, EntryKind, FileContent, ProposalReview, SelectionInfo, ToolHost } from '../../core/tools/toolHost';
import type { ProposalManager } from './proposals';
import { applyTextEdit } from './workspaceEdits';
import { excludePatterns, samePath, WorkspaceExcludes } from './workspaceExcludes';

const severities: Record<vscode.DiagnosticSeverity, DiagnosticSeverity> = {
  [vscode.DiagnosticSeverity.Error]: 'error',
  [vscode.DiagnosticSeverity.Warning]: 'warning',
  [vscode.DiagnosticSeverity.Information]: 'info',
  [vscode.DiagnosticSeverity.Hint]: 'hint',
};

function kindOf(type: vscode.FileType): EntryKind {
  if (type & vscode.FileType.SymbolicLink) return 'symlink';
  if (type & vscode.FileType.Directory) return 'directory';
  if (type & vscode.FileType.File) return 'file';
  return 'other';
}

/**
 * The exclude glob for findFiles. Passing any exclude turns off VS Code's default (files.exclude),
 * so files.exclude and search.exclude are merged here; `when` conditions are not evaluated.
 */
export function excludeGlob(folder: vscode.WorkspaceFolder): string | undefined {
  const patterns = excludePatterns(folder);
  return patterns.length ? `{${patterns.join(',')}}` : undefined;
}

export class VscodeToolHost implements ToolHost {
  private readonly excludes = new WorkspaceExcludes();

  constructor(private readonly proposals: ProposalManager, private readonly proposalTitle = (p: EditProposal) => `${path.basename(p.displayPath)} ↔ proposed edit (AIML Chat)`) {}

  roots(): WorkspaceRoot[] {
    return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => ({ fsPath: f.uri.fsPath, name: f.name }));
  }

  private openDocument(absPath: string): vscode.TextDocument | undefined {
    return vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && samePath(d.uri.fsPath, absPath));
  }

  async readFile(absPath: string): Promise<FileContent> {
    const doc = this.openDocument(absPath);
    if (doc?.isDirty) return { source: 'editor', text: doc.getText() };
    return { source: 'disk', bytes: await vscode.workspace.fs.readFile(vscode.Uri.file(absPath)) };
  }

  async stat(absPath: string): Promise<{ kind: EntryKind; size: number } | undefined> {
    try {
      const s = await vscode.workspace.fs.stat(vscode.Uri.file(absPath));
      // stat follows links; report what the link leads to (the path was already confined).
      return { kind: kindOf(s.type & ~vscode.FileType.SymbolicLink), size: s.size };
    } catch {
      return undefined;
    }
  }

  async listDirectory(absPath: string): Promise<DirectoryEntry[]> {
    const entries = await vscode.workspace.fs.readDirectory(vscode.Uri.file(absPath));
    return entries.map(([name, type]) => ({ name, kind: kindOf(type) }));
  }

  async findFiles(glob: string, maxResults: number, signal: AbortSignal): Promise<string[]> {
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
    const cancel = new vscode.CancellationTokenSource();
    const onAbort = () => cancel.cancel();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      const out: string[] = [];
      for (const folder of folders) {
        if (out.length >= maxResults) break;
        const rules = await this.excludes.gitignoreOf(folder);
        // Ask for more than needed: ignored files are filtered out afterwards.
        const uris = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, glob), excludeGlob(folder), Math.min(maxResults * 3 + 100, 20000), cancel.token);
        for (const uri of uris) {
          const rel = path.relative(folder.uri.fsPath, uri.fsPath).split(path.sep).join('/');
          if (rel.startsWith('.git/') || rules.ignores(rel)) continue;
          out.push(uri.fsPath);
          if (out.length >= maxResults) break;
        }
      }
      return out;
    } finally {
      signal.removeEventListener('abort', onAbort);
      cancel.dispose();
    }
  }

  isExcluded(absPath: string, root: WorkspaceRoot): Promise<boolean> {
    return this.excludes.isExcluded(absPath, root);
  }

  private rg: { path: string | undefined } | undefined;

  ripgrepPath(): string | undefined {
    this.rg ??= { path: findRipgrep(vscode.env.appRoot) };
    return this.rg.path;
  }

  activeSelection(): SelectionInfo | undefined {
    const editor = vscode.window.activeTextEditor;
    if (!editor) return undefined;
    const doc = editor.document;
    const selection = editor.selection;
    const text = selection.isEmpty ? doc.lineAt(selection.active.line).text : doc.getText(selection);
    return {
      absPath: doc.uri.scheme === 'file' ? doc.uri.fsPath : undefined,
      documentName: doc.uri.scheme === 'file' ? doc.uri.fsPath : doc.uri.toString(),
      languageId: doc.languageId,
      startLine: selection.start.line + 1,
      // A selection ending at column 0 of a line does not include that line.
      endLine: selection.isEmpty ? selection.active.line + 1 : selection.end.character === 0 && selection.end.line > selection.start.line ? selection.end.line : selection.end.line + 1,
      text,
      isEmpty: selection.isEmpty,
    };
  }

  diagnostics(absPath?: string): DiagnosticInfo[] {
    const entries: Array<[vscode.Uri, readonly vscode.Diagnostic[]]> = absPath ? [[vscode.Uri.file(absPath), vscode.languages.getDiagnostics(vscode.Uri.file(absPath))]] : vscode.languages.getDiagnostics();
    return entries
      .filter(([uri]) => uri.scheme === 'file')
      .flatMap(([uri, list]) => list.map((d): DiagnosticInfo => ({
        absPath: uri.fsPath,
        line: d.range.start.line + 1,
        column: d.range.start.character + 1,
        severity: severities[d.severity] ?? 'info',
        message: d.message,
        source: d.source,
        code: d.code === undefined ? undefined : String(typeof d.code === 'object' ? d.code.value : d.code),
      })));
  }

  openProposal(proposal: EditProposal): Promise<ProposalReview> {
    return this.proposals.open(proposal, { title: this.proposalTitle(proposal), onDecision: (decision) => this.onTitleDecision?.(proposal.id, decision) });
  }

  /** Set by the tools feature: routes the diff editor's title buttons to the runner. */
  onTitleDecision: ((id: string, decision: 'apply' | 'discard') => void) | undefined;

  applyEdit(edit: { absPath: string; baseText: string; newText: string; create: boolean }): Promise<void> {
    return applyTextEdit({ uri: vscode.Uri.file(edit.absPath), baseText: edit.baseText, newText: edit.newText, create: edit.create });
  }
}
