// The only place tool edits and refactorings touch user files: one vscode.WorkspaceEdit per change,
// so Ctrl+Z undoes it, applied to the open document (unsaved changes respected). A document that
// had no unsaved changes is saved afterwards, so the change is on disk like any applied fix; a
// document that was already dirty stays dirty, so we never save the user's half-done work for them.
import * as vscode from 'vscode';
import { minimalChange } from '../../core/tools/edits';
import { FileExistsError, StaleFileError } from '../../core/tools/toolHost';

const normalizeEol = (text: string) => text.replace(/\r\n/g, '\n');

export interface ApplyTextEditRequest {
  uri: vscode.Uri;
  /** The text the change was computed from; the document must still have it. */
  baseText: string;
  newText: string;
  create: boolean;
}

export async function applyTextEdit(request: ApplyTextEditRequest): Promise<void> {
  if (request.create) return createFile(request.uri, request.newText);
  const doc = await vscode.workspace.openTextDocument(request.uri);
  const wasDirty = doc.isDirty;
  const current = doc.getText();
  // VS Code normalizes a file's line endings when it loads it; compare modulo that.
  if (current !== request.baseText && normalizeEol(current) !== normalizeEol(request.baseText)) throw new StaleFileError();
  const target = doc.eol === vscode.EndOfLine.CRLF ? normalizeEol(request.newText).replace(/\n/g, '\r\n') : normalizeEol(request.newText);
  const change = minimalChange(current, target);
  const edit = new vscode.WorkspaceEdit();
  edit.replace(request.uri, new vscode.Range(doc.positionAt(change.start), doc.positionAt(change.end)), change.text);
  if (!(await vscode.workspace.applyEdit(edit))) throw new Error('VS Code refused the edit');
  if (!wasDirty && !(await doc.save())) throw new Error('the edit was applied but the file could not be saved');
}

async function createFile(uri: vscode.Uri, text: string): Promise<void> {
  try {
    await vscode.workspace.fs.stat(uri);
    throw new FileExistsError();
  } catch (error) {
    if (error instanceof FileExistsError) throw error;
  }
  const edit = new vscode.WorkspaceEdit();
  edit.createFile(uri, { overwrite: false, ignoreIfExists: false });
  edit.insert(uri, new vscode.Position(0, 0), text);
  if (!(await vscode.workspace.applyEdit(edit))) throw new Error('VS Code refused to create the file');
  const doc = await vscode.workspace.openTextDocument(uri);
  if (doc.isDirty && !(await doc.save())) throw new Error('the file was created but could not be saved');
}
