// Settings -> the dependencies of one answer's tool loop: the API client, the executor, and a
// request builder bound to this answer's settings. Settings are read once per answer so a change
// mid-answer (e.g. thinking switched on during a tool loop) cannot produce an invalid request.
import { findModel, modelAcceptsSampling } from '../../api/models';
import type { MessagesApi } from '../../api/types';
import { storingToolImages, type AttachmentStore } from '../attachmentStore';
import { buildSystemPrompt } from '../prompts';
import { buildMessagesRequest } from '../requestBuilder';
import type { ToolExecutor } from '../toolExecutor';
import type { TurnDependencies } from '../turnRunner';
import type { ChatMode } from '../../../shared/model';
import { executorForMode, modeSystemAdditions } from '../planMode';
import type { SessionSettings } from './types';

export interface TurnSetup {
  settings: SessionSettings;
  api: MessagesApi;
  executor: ToolExecutor;
  /** Plan: only the executor's read-only tools, and the plan instruction after the other additions. */
  mode?: ChatMode;
  attachments: AttachmentStore;
  workspaceName: string | undefined;
  /** Issue 12's system prompt additions (instruction files), appended after the base prompt. */
  systemAdditions?: readonly string[];
  newId(): string;
  now(): number;
  logNote(note: string): void;
}

/** The system prompt of one answer: the base prompt, then any additions, each as its own paragraph. */
export function systemPromptFor(toolsAvailable: boolean, workspaceName: string | undefined, additions: readonly string[] = [], mode: ChatMode = 'agent'): string {
  const base = buildSystemPrompt({ toolsAvailable, workspaceName, readOnlyTools: mode === 'plan' });
  return [base, ...additions.filter((a) => a.trim())].join('\n\n');
}

export function turnDependencies(setup: TurnSetup): TurnDependencies {
  const { settings } = setup;
  // Images returned by tools (read_file on a PNG) are stored once as files, like pasted ones.
  const mode = setup.mode ?? 'agent';
  const executor = storingToolImages(executorForMode(setup.executor, mode), setup.attachments);
  const system = systemPromptFor(executor.definitions().length > 0, setup.workspaceName, [...(setup.systemAdditions ?? []), ...modeSystemAdditions(mode)], mode);
  const acceptsSampling = modelAcceptsSampling(settings.model);
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
