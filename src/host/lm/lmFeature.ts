// Registers the `aiml` language-model provider and resolves its models at once: without Copilot,
// VS Code's Chat view answers "Language model unavailable" unless a model is already resolved
// when it is first used (DESIGN.md, second wave).
import * as vscode from 'vscode';
import { listModels } from '../../core/api/models';
import type { SpendLedger } from '../../core/spend/spendLedger';
import { MessagesClient } from '../../core/api/client';
import { onSettingsChanged, readSettings } from '../config';
import type { ApiKeyStore } from '../secrets';
import { AimlLanguageModelProvider, LM_VENDOR } from './provider';

export interface LanguageModelFeatureOptions {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  apiKey: ApiKeyStore;
  ledger: SpendLedger;
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
    createApi: (settings, key) => new MessagesClient({
      baseUrl: settings.baseUrl,
      apiKey: key,
      headersTimeoutMs: settings.requestTimeoutMs,
      idleTimeoutMs: settings.requestTimeoutMs,
      logger: { debug: (m) => log.debug(m), warn: (m) => log.warn(m) },
    }),
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
