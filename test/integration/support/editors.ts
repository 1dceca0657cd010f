// Cleanup after integration suites that open editors: close them all without ever waiting on a
// question or on code-server for ever. Cleanup must not fail (or hang) tests that passed.
import * as vscode from 'vscode';

/**
 * Optionally saves what is dirty, reverts what is still dirty (closing it would ask "Save
 * changes?" and hang the run; saving it later could race the scratch folder's deletion), then
 * closes every editor, waiting at most `limitMs`: under load code-server has taken over a minute to
 * settle closing the diff editors of proposals (a 60 s hook timeout in CI, twice).
 */
export async function closeAllEditorsQuietly(options: { saveFirst?: boolean; limitMs?: number } = {}): Promise<void> {
  if (options.saveFirst) await vscode.workspace.saveAll(false);
  const dirty = vscode.workspace.textDocuments.filter((doc) => doc.isDirty && doc.uri.scheme === 'file');
  // Said in the run's output: a document that would not save is worth knowing about, not failing on.
  if (dirty.length) console.warn(`      [cleanup] reverting ${dirty.length} unsaved document(s): ${dirty.map((doc) => vscode.workspace.asRelativePath(doc.uri)).join(', ')}`);
  for (const doc of dirty) {
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  }
  const limitMs = options.limitMs ?? 15_000;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const closed = await Promise.race([
    Promise.resolve(vscode.commands.executeCommand('workbench.action.closeAllEditors')).then(() => true),
    new Promise<false>((resolve) => { timer = setTimeout(() => resolve(false), limitMs); }),
  ]);
  clearTimeout(timer);
  if (!closed) console.warn(`      [cleanup] closing all editors took over ${limitMs / 1000} s; going on`);
}
