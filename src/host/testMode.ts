// Whether the extension runs under the test suites. `ExtensionMode.Test` is set when VS Code
// loads the extension for tests from a development folder, but not for the installed .vsix that
// the code-server suites run; for those the test scripts set AIML_CHAT_TEST_MODE=1 in the
// extension host's environment. Read once, at activation.
import * as vscode from 'vscode';
import { TEST_MODE_ENV } from './testCommands';

export function isTestMode(context: Pick<vscode.ExtensionContext, 'extensionMode'>, env: NodeJS.ProcessEnv = process.env): boolean {
  return context.extensionMode === vscode.ExtensionMode.Test || env[TEST_MODE_ENV] === '1';
}
