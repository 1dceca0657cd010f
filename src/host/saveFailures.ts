// A save that fails (disk full, no permission, a file from a newer release) is told to the user
// once per file and failure streak (the stores decide when), naming the file so they can act.
import * as path from 'node:path';
import * as vscode from 'vscode';

export function saveFailureNotifier(log: vscode.LogOutputChannel): (file: string, error: Error) => void {
  return (file, error) => {
    log.error(`saving ${file} failed: ${error.message}`);
    const folder = path.dirname(file);
    void vscode.window
      .showErrorMessage(`AIML Chat could not save ${path.basename(file)} in ${folder}: ${error.message}`, 'Open Folder')
      .then((choice) => (choice === 'Open Folder' ? vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(folder)) : undefined));
  };
}
