// One answer of a session: runs the turn runner on the conversation, turns its callbacks into
// session events, keeps the totals, and saves (throttled while streaming, forced at the end).
import { historyForRequest } from '../../context/compaction';
import type { ChatMode, Conversation } from '../../../shared/model';
import { addUsage } from '../conversationOps';
import { errorInfoOf, runTurn, type TurnCallbacks, type TurnOutcome } from '../turnRunner';
import { turnDependencies } from './turnSetup';
import type { ChatSessionDeps, SessionEvent, SessionSettings } from './types';

export interface AnswerRun {
  deps: ChatSessionDeps;
  conversation: Conversation;
  settings: SessionSettings;
  apiKey: string;
  /** The id of the user message this answer replies to (checkpoints, issue 13). */
  turnId: string;
  /** Plan: read-only tools, a plan asked for; its answers are marked so the view offers `Act on this plan`. */
  mode: ChatMode;
  signal: AbortSignal;
  emit(event: SessionEvent): void;
  newId(): string;
  now(): number;
}

export type AnswerResult = { outcome: TurnOutcome } | { outcome: undefined; thrown: unknown };

/** Runs the answer to the end. Never throws: an unexpected failure is logged, emitted and returned. */
export async function runAnswer(run: AnswerRun): Promise<AnswerResult> {
  const { deps, conversation, settings } = run;
  conversation.model = settings.model;
  try {
    const turn = turnDependencies({
      settings,
      api: deps.createApi(settings, run.apiKey),
      executor: deps.executor({ conversationId: conversation.id, turnId: run.turnId, mode: run.mode }),
      mode: run.mode,
      attachments: deps.attachments,
      workspaceName: deps.workspaceName(),
      systemAdditions: deps.systemPromptAdditions?.(),
      newId: run.newId,
      now: run.now,
      logNote: (note) => deps.logger.info(note),
    });
    // After a compaction the request carries the summary plus the recent turns (the transcript keeps all).
    const buildFull = turn.buildRequest;
    turn.buildRequest = (history) => buildFull(historyForRequest({ ...conversation, messages: history }));
    const outcome = await runTurn(conversation.messages, turn, turnCallbacks(run), run.signal);
    if (outcome.kind === 'error') deps.logger.warn(`answer failed: ${outcome.error.kind}: ${outcome.error.message}`);
    if (outcome.kind === 'tool_limit') deps.logger.info(`tool-call limit (${settings.maxToolCallsPerTurn}) reached`);
    return { outcome };
  } catch (error) {
    const info = errorInfoOf(error);
    deps.logger.error(`answer failed: ${(error as Error).stack ?? info.message}`);
    run.emit({ type: 'error', error: info });
    return { outcome: undefined, thrown: error };
  }
}

/** Saves now; a failure is logged, never thrown (the conversation stays in memory). */
export function persist(deps: ChatSessionDeps, conversation: Conversation): Promise<void> {
  if (conversation.messages.length === 0) return Promise.resolve();
  return deps.store.save(conversation).catch((error: Error) => deps.logger.error(`saving the conversation failed: ${error.message}`));
}

function turnCallbacks(run: AnswerRun): TurnCallbacks {
  const { deps, conversation, emit } = run;
  return {
    onMessageAdded: (message) => {
      if (run.mode === 'plan') message.mode = 'plan';
      conversation.updatedAt = run.now();
      emit({ type: 'messageAdded', conversation, message });
      void persist(deps, conversation);
    },
    onStreamEvent: (message, event, snapshot) => {
      emit({ type: 'streamDelta', conversation, message, event, snapshot });
      deps.store.scheduleSave(conversation);
    },
    onMessageFinished: (message) => {
      emit({ type: 'messageFinished', conversation, message });
      addUsage(conversation, message);
      conversation.updatedAt = run.now();
      emit({ type: 'totals', conversation, totals: conversation.totals });
      void persist(deps, conversation);
    },
    onToolCard: (message, call) => {
      emit({ type: 'toolCard', conversation, message, call });
      deps.store.scheduleSave(conversation);
    },
  };
}
