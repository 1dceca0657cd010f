// Registers the `aiml` language-model provider and resolves its models at once: without Copilot,
// VS Code's Chat view answers "Language model unavailable" unless a model is already resolved
// when it is first used (DESIGN.md, second wave).
import * as vscode from 'vscode';
import { listModels } from '../../core/api/models';
import type { SpendLedger } from '../../core/spend/spendLedger';
import type { MessagesClientFactory } from '../../core/api/clientFactory';
import { onSettingsChanged, readSettings } from '../config';
import type { ApiKeyStore } from '../secrets';
import { AimlLanguageModelProvider, LM_VENDOR } from './provider';

export interface LanguageModelFeatureOptions {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  apiKey: ApiKeyStore;
  ledger: SpendLedger;
  messagesClient: MessagesClientFactory;
}

/** The catalogue the provider lists: one function, so the gateway's catalogue can replace the built-in table in one line. */
export function languageModelCatalogue() {
  return listModels();
}

export function registerLanguageModels(options: LanguageModelFeatureOptions): AimlLanguageModelProvider {
  const { context, log, apiKey, ledger } = options;
  const provider = new AimlLanguageModelProvider({
    getApiKey: () => apiKey.get(),
    settings: readSettings,
    models: languageModelCatalogue,
    createApi: options.messagesClient,
    ledger,
    log,
  });
  context.subscriptions.push(
    provider,
    vscode.lm.registerLanguageModelChatProvider(LM_VENDOR, provider),
    onSettingsChanged(() => provider.refresh()),
  );
  void vscode.lm.selectChatModels({ vendor: LM_VENDOR }).then(
    (models) => log.info(`[lm] ${models.length} AIML models available to VS Code's Chat and vscode.lm`),
    (error: Error) => log.warn(`[lm] could not resolve the AIML models: ${error.message}`),
  );
  return provider;
}
