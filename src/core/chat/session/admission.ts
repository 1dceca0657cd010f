// The checks a prompt passes before a request is made: an API key, and the spend cap (which may
// ask the user). A refusal says why and what the user is told, so the session reports it on its
// single prompt-returned path.
import type { Conversation, ErrorInfo } from '../../../shared/model';
import { approximateInputChars, checkSpendCap, estimateNextRequestUsd } from '../spendCap';
import { systemPromptFor } from './turnSetup';
import type { ChatSessionDeps, PromptReturnReason, SessionSettings } from './types';

export type Admission =
  | { ok: true; settings: SessionSettings; apiKey: string }
  | { ok: false; reason: Extract<PromptReturnReason, 'no_api_key' | 'spend_cap'>; error: ErrorInfo };

export const NO_KEY_ERROR: ErrorInfo = { kind: 'no_api_key', message: 'Set your AI/ML API key to start chatting.' };
export const SPEND_CAP_ERROR: ErrorInfo = {
  kind: 'config',
  message: 'Not sent: the spend cap for this conversation would be exceeded. Raise aimlChat.spendCapUsd or start a new chat.',
};

/** Reads the key and a settings snapshot, and asks before going past the spend cap. */
export async function admitRequest(deps: ChatSessionDeps, conversation: Conversation, promptText: string): Promise<Admission> {
  const apiKey = await deps.getApiKey();
  if (!apiKey) return { ok: false, reason: 'no_api_key', error: NO_KEY_ERROR };
  const settings = deps.settings();
  // Stryker disable next-line ConditionalExpression,LogicalOperator: checkSpendCap itself answers ok for a null or undefined cap; this check only skips computing the estimate
  if (settings.spendCapUsd !== null && settings.spendCapUsd !== undefined) {
    // The estimate assumes tools are on: the larger system prompt, so the cap errs on the safe side.
    const system = systemPromptFor(true, undefined);
    const inputChars = approximateInputChars(conversation.messages, system) + promptText.length;
    const estimate = estimateNextRequestUsd({ model: settings.model, inputChars, messages: conversation.messages });
    const check = checkSpendCap(conversation.totals, settings.spendCapUsd, estimate);
    if (check.kind === 'confirm' && !(await deps.confirm(check.message, 'Send Anyway'))) {
      return { ok: false, reason: 'spend_cap', error: SPEND_CAP_ERROR };
    }
  }
  return { ok: true, settings, apiKey };
}
