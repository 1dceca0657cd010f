// The gateway's service endpoints in the extension: the model catalogue (`aimlChat.refreshModels`),
// the balance status bar item, and the hooks the other features call around their requests
// (`instrument` for the chat, `afterCall` for one-off calls such as refactor and batch creation):
// warn on a low balance before, log the request id and cost after, explain an out-of-credits 403.
import * as vscode from 'vscode';
import { isOutOfCredits, TOP_UP_URL } from '../../core/api/billing';
import { MessagesClient } from '../../core/api/client';
import type { ApiMessage, MessagesApi } from '../../core/api/types';
import { readSettings } from '../config';
import type { ApiKeyStore } from '../secrets';
import { BalanceStatus, REFRESH_BALANCE_COMMAND } from './balance';
import { ModelCatalogueService } from './modelCatalogue';

export interface GatewayServices {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  apiKey: ApiKeyStore;
}

/** What other features use; every member is safe to call without a key. */
export interface GatewayHooks {
  catalogue: ModelCatalogueService;
  balance: BalanceStatus;
  /** Wraps a messages API: balance warning before, request id and cost in the log after. */
  instrument(api: MessagesApi, purpose: string): MessagesApi;
  /** For a call made outside `instrument`: logs its request id and cost, refreshes the balance. */
  afterCall(purpose: string, message: Pick<ApiMessage, 'tracing' | 'meta' | 'model'>): void;
  /** For a failed call: logs the request id; an out-of-credits 403 offers the top-up page. */
  afterError(purpose: string, error: unknown): void;
}

/** `lap` names the parts of activate() spent here (src/extension.ts, docs/BENCHMARKS.md "Activation"). */
export function registerGateway(services: GatewayServices, lap: (name: string) => void = () => undefined): GatewayHooks {
  const { context, log, apiKey } = services;
  const catalogue = new ModelCatalogueService({ folder: context.globalStorageUri.fsPath, baseUrl: () => readSettings().baseUrl, log });
  lap('gateway.catalogue');
  const balance = new BalanceStatus({
    log,
    connect: async () => {
      const key = await apiKey.get();
      if (!key) return undefined;
      const settings = readSettings();
      return new MessagesClient({ baseUrl: settings.baseUrl, apiKey: key, headersTimeoutMs: settings.requestTimeoutMs, idleTimeoutMs: settings.requestTimeoutMs, maxRetries: 1 });
    },
  });
  lap('gateway.balance');

  const afterCall: GatewayHooks['afterCall'] = (purpose, message) => {
    const usd = message.meta?.usage?.usd_spent;
    log.info(`${purpose}: ${message.model ?? 'answer'} done, request id ${message.tracing?.inferenceId ?? 'none'}${typeof usd === 'number' ? `, cost $${usd.toFixed(6)}` : ''}`);
    balance.refreshAfterAnswer();
  };
  const afterError: GatewayHooks['afterError'] = (purpose, error) => {
    const info = (error as { info?: { kind?: string; requestId?: string; message?: string } }).info;
    if (info?.kind === 'aborted') return;
    log.warn(`${purpose} failed, request id ${info?.requestId ?? 'none'}: ${info?.message ?? (error as Error).message}`);
    if (!isOutOfCredits(error)) return;
    void balance.refresh();
    void vscode.window.showErrorMessage('AIML Chat: your AI/ML API account is out of credits. Top up your balance, then retry.', 'Top Up Balance').then((choice) => {
      if (choice) void vscode.env.openExternal(vscode.Uri.parse(TOP_UP_URL));
    });
  };
  const around = async (purpose: string, call: () => Promise<ApiMessage>): Promise<ApiMessage> => {
    balance.warnIfLow();
    try {
      const message = await call();
      afterCall(purpose, message);
      return message;
    } catch (error) {
      afterError(purpose, error);
      throw error;
    }
  };

  context.subscriptions.push(
    catalogue, balance,
    vscode.commands.registerCommand('aimlChat.refreshModels', async () => {
      const result = await catalogue.refresh();
      if (result.ok) void vscode.window.showInformationMessage(`AIML Chat: ${result.count} Claude models from the AI/ML API catalogue.`);
      else void vscode.window.showWarningMessage(`AIML Chat: the model list was not updated (${result.reason}); the last good list is kept.`);
      return result;
    }),
    vscode.commands.registerCommand(REFRESH_BALANCE_COMMAND, () => balance.refresh()),
    apiKey.onDidChange(() => void balance.refresh()),
  );
  lap('gateway.commands');
  // Not needed for activation to finish: started right after it (issue 15: activate() within 15 ms).
  const deferred = setTimeout(() => {
    void catalogue.start().catch((error: Error) => log.warn(`model catalogue: ${error.message}`));
    void balance.refresh();
  }, 0);
  context.subscriptions.push({ dispose: () => clearTimeout(deferred) });

  return {
    catalogue, balance, afterCall, afterError,
    instrument: (api, purpose) => ({
      create: (request, options) => around(purpose, () => api.create(request, options)),
      stream: (request, options) => around(purpose, () => api.stream(request, options)),
    }),
  };
}
