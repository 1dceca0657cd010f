// The `aiml` language-model provider: the gateway's Claude models in VS Code's model picker and
// for every extension through vscode.lm. Requests go through the same client, request rules and
// key as the chat view; each answer's cost goes to the output channel and the spend ledger.
import * as vscode from 'vscode';
import { errorInfoOf } from '../../core/chat/turnRunner';
import { lmModelInformation, type LmModelSource } from '../../core/lm/models';
import { buildLmRequest } from '../../core/lm/request';
import { LmStreamMapper } from '../../core/lm/stream';
import { estimateTokenCount } from '../../core/lm/tokens';
import { modelAcceptsSampling } from '../../core/api/models';
import type { ApiMessage, MessagesApi } from '../../core/api/types';
import { describeSpend, spendEntryOf, type SpendLedger } from '../../core/spend/spendLedger';
import type { ChatSettings } from '../config';
import { toCoreMessage, toVscodePart } from './parts';

export const LM_VENDOR = 'aiml';
export const NO_KEY_MESSAGE = 'No AI/ML API key is set. Run "AIML Chat: Set API Key" from the Command Palette, then send the request again.';

export interface LanguageModelProviderDeps {
  getApiKey(): Promise<string | undefined>;
  settings(): ChatSettings;
  /** The model catalogue (the built-in table, or the gateway's once it is loaded). */
  models(): LmModelSource[];
  createApi(settings: ChatSettings, apiKey: string): MessagesApi;
  ledger: SpendLedger;
  log: vscode.LogOutputChannel;
}

export class AimlLanguageModelProvider implements vscode.LanguageModelChatProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeLanguageModelChatInformation = this.changed.event;

  constructor(private readonly deps: LanguageModelProviderDeps) {}

  /** The model list depends on the catalogue and on aimlChat.maxTokens (it sets the input limit). */
  refresh(): void {
    this.changed.fire();
  }

  provideLanguageModelChatInformation(): vscode.LanguageModelChatInformation[] {
    // Listed with or without a key, so the models show in the picker; a request without a key
    // explains how to set one.
    return lmModelInformation(this.deps.models(), this.deps.settings().maxTokens)
      // isUserSelectable (not in the stable typings) keeps them in the Chat view's picker.
      .map((info) => ({ ...info, isUserSelectable: true }));
  }

  async provideLanguageModelChatResponse(
    model: vscode.LanguageModelChatInformation,
    messages: readonly vscode.LanguageModelChatRequestMessage[],
    options: vscode.ProvideLanguageModelChatResponseOptions,
    progress: vscode.Progress<vscode.LanguageModelResponsePart>,
    token: vscode.CancellationToken,
  ): Promise<void> {
    const apiKey = await this.deps.getApiKey();
    if (!apiKey) throw vscode.LanguageModelError.NoPermissions(NO_KEY_MESSAGE);
    const settings = this.deps.settings();
    const models = this.deps.models();
    const source = models.find((m) => m.id === model.id);
    const built = await buildLmRequest(messages.map(toCoreMessage), {
      tools: options.tools?.map((t) => ({ name: t.name, description: t.description, inputSchema: t.inputSchema })),
      toolMode: options.toolMode === vscode.LanguageModelChatToolMode.Required ? 'required' : 'auto',
      modelOptions: options.modelOptions,
    }, {
      model: model.id,
      acceptsSampling: modelAcceptsSampling(model.id),
      maxTokens: settings.maxTokens,
      maxOutputTokens: source?.defaultMaxTokens ?? model.maxOutputTokens,
      temperature: settings.temperature,
      thinking: { enabled: settings.thinkingEnabled, budgetTokens: settings.thinkingBudgetTokens },
      promptCaching: settings.promptCaching,
    });
    for (const note of built.notes) this.deps.log.debug(`[lm] ${note}`);

    const controller = new AbortController();
    const cancellation = token.onCancellationRequested(() => controller.abort());
    if (token.isCancellationRequested) controller.abort();
    const mapper = new LmStreamMapper(built.toolNames);
    try {
      const final = await this.deps.createApi(settings, apiKey).stream(built.request, {
        signal: controller.signal,
        onEvent: (event, snapshot) => {
          for (const part of mapper.map(event, snapshot)) {
            const converted = toVscodePart(part);
            if (converted) progress.report(converted);
          }
        },
      });
      this.record(final, 'answered');
    } catch (error) {
      const partial = (error as { partial?: ApiMessage }).partial;
      if (partial?.usage) this.record(partial, controller.signal.aborted ? 'cancelled' : 'failed');
      // A cancelled request ends quietly: the caller asked for it.
      if (controller.signal.aborted) return;
      const info = errorInfoOf(error);
      this.deps.log.warn(`[lm] ${model.id}: ${info.message}${info.requestId ? ` (request ${info.requestId})` : ''}`);
      throw new Error(info.message, { cause: error });
    } finally {
      cancellation.dispose();
    }
  }

  async provideTokenCount(_model: vscode.LanguageModelChatInformation, text: string | vscode.LanguageModelChatRequestMessage): Promise<number> {
    return estimateTokenCount(typeof text === 'string' ? text : toCoreMessage(text));
  }

  private record(message: ApiMessage, outcome: string): void {
    const entry = spendEntryOf('languageModel', message, Date.now());
    this.deps.ledger.record(entry);
    const total = this.deps.ledger.totals('languageModel');
    this.deps.log.info(`[lm] ${outcome} ${message.id ?? ''}: ${describeSpend(entry)}; language-model total this session $${total.usd.toFixed(4)} over ${total.requests} requests`);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
