// Composition root: builds the objects by hand, registers everything, pushes disposables.
// Each feature module exposes one `register…` function; nothing here holds feature logic.
import * as vscode from 'vscode';
import { ApiKeyStore } from './host/secrets';
import { readSettings } from './host/config';
import { registerChat, type ChatTestApi } from './host/chatFeature';
import { registerBatch } from './host/batch';
import { registerTools, type ToolsFeature } from './host/tools/toolsFeature';
import { registerRefactor } from './host/refactor';
import { registerGateway } from './host/gateway';

export interface ExtensionServices {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  apiKey: ApiKeyStore;
}

/** What integration tests read of the gateway feature (balance item, catalogue). */
export interface GatewayTestApi {
  balance(): { visible: boolean; text: string; label: string | undefined; warning?: string };
  refreshBalance(): Promise<unknown>;
  /** Lowers the once-a-minute limit of refreshes after answers (tests). */
  setAfterAnswerIntervalMs(ms: number): void;
  models(): Array<{ id: string; name: string; maxOutput: number }>;
}

export async function activate(context: vscode.ExtensionContext): Promise<{ activatedInMs: number; chat: ChatTestApi; tools: ToolsFeature['runner']; gateway: GatewayTestApi }> {
  const started = Date.now();
  const log = vscode.window.createOutputChannel('AIML Chat', { log: true });
  const apiKey = new ApiKeyStore(context.secrets);
  context.subscriptions.push(log, apiKey);
  const services: ExtensionServices = { context, log, apiKey };

  context.subscriptions.push(
    vscode.commands.registerCommand('aimlChat.setApiKey', async (key?: unknown) => {
      // A string argument lets scripts and tests set the key without the input box.
      if (typeof key === 'string' && key.trim()) await apiKey.set(key);
      else await apiKey.promptAndStore();
    }),
    vscode.commands.registerCommand('aimlChat.clearApiKey', async () => {
      await apiKey.clear();
      void vscode.window.showInformationMessage('AIML Chat: API key removed.');
    }),
  );

  const { chat, tools, gateway } = registerFeatures(services);
  const activatedInMs = Date.now() - started;
  log.info(`activated in ${activatedInMs} ms (base URL ${readSettings().baseUrl})`);
  // The exports are for the integration tests (vscode.extensions.getExtension(...).exports).
  return { activatedInMs, chat, tools, gateway };
}

function registerFeatures(services: ExtensionServices): { chat: ChatTestApi; tools: ToolsFeature['runner']; gateway: GatewayTestApi } {
  // Feature modules register here (gateway services, chat view, tools, images, batch).
  const gateway = registerGateway(services);
  const tools = registerTools(services);
  const chat = registerChat({ ...services, gateway, toolExecutor: () => tools.runner, toolActions: tools.actions }).testApi;
  registerRefactor({ ...services, gateway, proposals: tools.proposals });
  registerBatch({ ...services, proposals: tools.proposals });
  const gatewayTestApi: GatewayTestApi = {
    balance: () => gateway.balance.state,
    refreshBalance: () => gateway.balance.refresh(),
    setAfterAnswerIntervalMs: (ms) => { gateway.balance.afterAnswerIntervalMs = ms; },
    models: () => gateway.catalogue.models(),
  };
  return { chat, tools: tools.runner, gateway: gatewayTestApi };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
