// The Chat view's references (#file, #selection, the implicit current file, plain values) handed
// to core as paths, ranges and text; core reads them through the chat view's content gate.
import * as vscode from 'vscode';
import type { ParticipantReference } from '../../core/participant/references';

export function participantReferences(references: readonly vscode.ChatPromptReference[]): ParticipantReference[] {
  const out: ParticipantReference[] = [];
  for (const reference of references) {
    const value = reference.value;
    if (value instanceof vscode.Uri && value.scheme === 'file') out.push({ kind: 'file', path: value.fsPath });
    else if (value instanceof vscode.Location && value.uri.scheme === 'file') {
      const { start, end } = value.range;
      if (value.range.isEmpty) out.push({ kind: 'file', path: value.uri.fsPath });
      // A range ending at column 0 of a line does not include that line (as in the chat view's selection).
      else out.push({ kind: 'range', path: value.uri.fsPath, startLine: start.line + 1, endLine: end.character === 0 && end.line > start.line ? end.line : end.line + 1 });
    } else if (typeof value === 'string' && value.trim()) out.push({ kind: 'text', name: reference.modelDescription ?? reference.id, text: value });
  }
  return out;
}
