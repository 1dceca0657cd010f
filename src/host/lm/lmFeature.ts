// Registers the `aiml` language-model provider and resolves its models at once: without Copilot,
// VS Code's Chat view answers "Language model unavailable" unless a model is already resolved
// when it is first used (DESIGN.md, second wave).
import * as vscode from 'vscode';
import { listModels } from '../../core/api/models';
import type { ModelCatalogue } from '../../core/api/catalogue';
import { lmSourcesFromCatalogue, type LmModelSource } from '../../core/lm/models';
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
  /** The gateway's model catalogue; the provider re-lists its models when it changes. */
  catalogue?: ModelCatalogue & { onDidChange: vscode.Event<void> };
}

/** What the provider lists: the gateway's catalogue when it has one, else the built-in table. */
export function languageModelCatalogue(catalogue?: ModelCatalogue): LmModelSource[] {
  const fromGateway = catalogue ? lmSourcesFromCatalogue(catalogue.models()) : [];
  return fromGateway.length > 0 ? fromGateway : listModels();
}

export function registerLanguageModels(options: LanguageModelFeatureOptions): AimlLanguageModelProvider {
  const { context, log, apiKey, ledger, catalogue } = options;
  const provider = new AimlLanguageModelProvider({
    getApiKey: () => apiKey.get(),
    settings: readSettings,
    models: () => languageModelCatalogue(catalogue),
    createApi: options.messagesClient,
    ledger,
    log,
  });
  context.subscriptions.push(
    provider,
    vscode.lm.registerLanguageModelChatProvider(LM_VENDOR, provider),
    onSettingsChanged(() => provider.refresh()),
  );
  // The catalogue arrives after activation (cache, then GET /models): VS Code asks for the list again.
  if (catalogue) context.subscriptions.push(catalogue.onDidChange(() => provider.refresh()));
  void vscode.lm.selectChatModels({ vendor: LM_VENDOR }).then(
    (models) => log.info(`[lm] ${models.length} AIML models available to VS Code's Chat and vscode.lm`),
    (error: Error) => log.warn(`[lm] could not resolve the AIML models: ${error.message}`),
  );
  return provider;
}
