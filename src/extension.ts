// Composition root: builds the objects by hand, registers everything, pushes disposables.
// Each feature module exposes one `register…` function; nothing here holds feature logic.
import * as vscode from 'vscode';
import { ApiKeyStore } from './host/secrets';
import { readSettings } from './host/config';
import { registerChat, type ChatTestApi } from './host/chatFeature';
import { registerBatch } from './host/batch';
import { registerTools, type ToolsFeature } from './host/tools/toolsFeature';
import { registerRefactor } from './host/refactor';
import { registerApiKeyCommands } from './host/testCommands';
import { isTestMode } from './host/testMode';

export interface ExtensionServices {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  apiKey: ApiKeyStore;
  /** Test-only commands and arguments are honoured (src/host/testCommands.ts). */
  testMode: boolean;
}

export async function activate(context: vscode.ExtensionContext): Promise<{ activatedInMs: number; chat: ChatTestApi; tools: ToolsFeature['runner'] }> {
  const started = Date.now();
  const log = vscode.window.createOutputChannel('AIML Chat', { log: true });
  const apiKey = new ApiKeyStore(context.secrets);
  context.subscriptions.push(log, apiKey);
  const services: ExtensionServices = { context, log, apiKey, testMode: isTestMode(context) };

  context.subscriptions.push(...registerApiKeyCommands(vscode.commands, services.testMode, {
    set: (key) => apiKey.set(key),
    promptAndStore: () => apiKey.promptAndStore(),
    clear: () => apiKey.clear(),
    notify: (message) => void vscode.window.showInformationMessage(message),
  }));

  const { chat, tools } = registerFeatures(services);
  const activatedInMs = Date.now() - started;
  log.info(`activated in ${activatedInMs} ms (base URL ${readSettings().baseUrl})`);
  // The exports are for the integration tests (vscode.extensions.getExtension(...).exports).
  return { activatedInMs, chat, tools };
}

function registerFeatures(services: ExtensionServices): { chat: ChatTestApi; tools: ToolsFeature['runner'] } {
  // Feature modules register here (chat view, tools, images, batch).
  const tools = registerTools(services);
  const chat = registerChat({ ...services, toolExecutor: () => tools.runner, toolActions: tools.actions }).testApi;
  registerRefactor({ ...services, proposals: tools.proposals });
  registerBatch({ ...services, proposals: tools.proposals });
  return { chat, tools: tools.runner };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
