// The Chat view's references (#file, #selection, the implicit current file, plain values) read
// into text for the participant's context blocks. A slash command with nothing attached takes
// the active editor's selection, or its whole file, as the chat view's commands do.
import * as vscode from 'vscode';
import type { ParticipantReference } from '../../core/participant/prompt';

/** Largest text taken from one reference; longer content is cut on a line boundary and marked. */
const MAX_REFERENCE_CHARS = 100_000;

function capped(text: string): { text: string; truncated?: boolean } {
  if (text.length <= MAX_REFERENCE_CHARS) return { text };
  const cut = text.lastIndexOf('\n', MAX_REFERENCE_CHARS);
  return { text: text.slice(0, cut > MAX_REFERENCE_CHARS / 2 ? cut : MAX_REFERENCE_CHARS), truncated: true };
}

async function fromDocument(uri: vscode.Uri, range?: vscode.Range): Promise<ParticipantReference> {
  const document = await vscode.workspace.openTextDocument(uri);
  const path = vscode.workspace.asRelativePath(uri, false);
  if (range && !range.isEmpty) {
    const lines = { start: range.start.line + 1, end: range.end.line + 1 };
    return { kind: 'selection', label: `${path}:${lines.start}-${lines.end}`, path, language: document.languageId, lines, ...capped(document.getText(range)) };
  }
  return { kind: 'file', label: path, path, language: document.languageId, ...capped(document.getText()) };
}

export async function resolveReferences(references: readonly vscode.ChatPromptReference[], log: vscode.LogOutputChannel): Promise<ParticipantReference[]> {
  const resolved: ParticipantReference[] = [];
  for (const reference of references) {
    const value = reference.value;
    try {
      if (value instanceof vscode.Uri) resolved.push(await fromDocument(value));
      else if (value instanceof vscode.Location) resolved.push(await fromDocument(value.uri, value.range));
      else if (typeof value === 'string' && value.trim()) resolved.push({ kind: 'text', label: reference.modelDescription ?? reference.id, text: capped(value).text });
    } catch (error) {
      // A folder or an unreadable file: say so to the model rather than drop it silently.
      log.warn(`[participant] could not read the reference ${reference.id}: ${(error as Error).message}`);
      const label = value instanceof vscode.Uri ? vscode.workspace.asRelativePath(value, false) : reference.modelDescription ?? reference.id;
      resolved.push({ kind: 'text', label, text: `(could not be read: ${(error as Error).message})` });
    }
  }
  return resolved;
}

/** The active editor's selection, or its whole file when nothing is selected; none without an editor. */
export async function activeEditorReference(): Promise<ParticipantReference | undefined> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return undefined;
  return fromDocument(editor.document.uri, editor.selection.isEmpty ? undefined : editor.selection);
}
