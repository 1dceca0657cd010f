// The batch's file list, shown before anything is sent: every file that would go, checked, and
// every file left out with the reason, in one multi-select quick pick (keyboard and screen reader
// friendly: each item's label is the path, its description the size or the reason).
import * as vscode from 'vscode';
import type { BatchFileInput, SkippedFile } from '../../core/batch/requests';
import { formatBytes } from '../../shared/images';

interface FileItem extends vscode.QuickPickItem {
  location?: string;
}

/** The files the user kept (by location), or undefined when the pick was dismissed. */
export async function confirmFileList(files: readonly BatchFileInput[], skipped: readonly SkippedFile[], model: string): Promise<Set<string> | undefined> {
  const items: FileItem[] = files.map((f) => ({ label: f.path, description: formatBytes(f.bytes.length), picked: true, location: f.location }));
  if (skipped.length) {
    items.push({ label: `Not sent (${skipped.length})`, kind: vscode.QuickPickItemKind.Separator });
    // Checking one of these does nothing: they stay out (the title says so).
    for (const s of skipped) items.push({ label: `$(circle-slash) ${s.path}`, description: `not sent: ${s.reason}`, picked: false });
  }
  const picked = await vscode.window.showQuickPick(items, {
    title: `AIML Chat: Batch – ${files.length} ${files.length === 1 ? 'file' : 'files'} will be sent to ${model}${skipped.length ? `, ${skipped.length} left out` : ''}`,
    placeHolder: 'Uncheck files to leave out, then press Enter. Files marked "not sent" are never sent.',
    canPickMany: true,
    ignoreFocusOut: true,
    matchOnDescription: true,
  });
  if (!picked) return undefined;
  return new Set(picked.map((p) => p.location).filter((l): l is string => typeof l === 'string'));
}
