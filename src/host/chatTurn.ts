// Settings -> the dependencies of one answer's tool loop: the API client, the executor, and a
// request builder bound to this answer's settings. Settings are read once per answer so a change
// mid-answer (e.g. thinking switched on during a tool loop) cannot produce an invalid request.
import type { ModelInfo } from '../shared/model';
import { findModel } from '../core/api/models';
import type { MessagesApi } from '../core/api/types';
import { storingToolImages, type AttachmentStore } from '../core/chat/attachmentStore';
import { buildSystemPrompt } from '../core/chat/prompts';
import { buildMessagesRequest } from '../core/chat/requestBuilder';
import type { ToolExecutor } from '../core/chat/toolExecutor';
import type { TurnDependencies } from '../core/chat/turnRunner';
import type { ChatSettings } from './config';

export interface TurnSetup {
  settings: ChatSettings;
  api: MessagesApi;
  executor: ToolExecutor;
  attachments: AttachmentStore;
  models: ModelInfo[];
  workspaceName: string | undefined;
  newId(): string;
  now(): number;
  logNote(note: string): void;
}

/** Opus 4.7 takes no sampling parameters (NOTES.md); the catalogue says so for known ids. */
export function modelAcceptsSampling(model: string, models: ModelInfo[]): boolean {
  return models.find((m) => m.id === model)?.acceptsSampling ?? !/opus-4[-.]7/.test(model);
}

export function turnDependencies(setup: TurnSetup): TurnDependencies {
  const { settings } = setup;
  // Images returned by tools (read_file on a PNG) are stored once as files, like pasted ones.
  const executor = storingToolImages(setup.executor, setup.attachments);
  const system = buildSystemPrompt({ toolsAvailable: executor.definitions().length > 0, workspaceName: setup.workspaceName });
  const acceptsSampling = modelAcceptsSampling(settings.model, setup.models);
  return {
    api: setup.api,
    executor,
    maxToolCalls: settings.maxToolCallsPerTurn,
    newId: setup.newId,
    now: setup.now,
    buildRequest: async (history) => {
      const built = await buildMessagesRequest(history, {
        model: settings.model,
        acceptsSampling,
        maxTokens: settings.maxTokens,
        maxOutputTokens: findModel(settings.model)?.defaultMaxTokens,
        temperature: settings.temperature,
        thinking: { enabled: settings.thinkingEnabled, budgetTokens: settings.thinkingBudgetTokens },
        promptCaching: settings.promptCaching,
        system,
        tools: executor.definitions(),
      }, (ref) => setup.attachments.load(ref));
      for (const note of built.notes) setup.logNote(note);
      return built.request;
    },
  };
}
