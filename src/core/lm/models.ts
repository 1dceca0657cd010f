// The catalogue's Claude models as VS Code language-model information: what the model picker and
// `vscode.lm.selectChatModels` show. Every Claude model here calls tools and reads images.
import type { ModelInfo } from '../../shared/model';

/** Claude's context window (input + output) unless the catalogue knows better. */
export const CLAUDE_CONTEXT_WINDOW = 200_000;

/** A catalogue entry: the built-in table's ModelInfo, or a gateway entry that knows its window. */
export type LmModelSource = Pick<ModelInfo, 'id' | 'label' | 'family' | 'defaultMaxTokens'> & { contextWindow?: number };

export interface LmModelInformation {
  id: string;
  name: string;
  family: string;
  version: string;
  tooltip: string;
  detail: string;
  maxInputTokens: number;
  maxOutputTokens: number;
  capabilities: { toolCalling: boolean; imageInput: boolean };
}

/**
 * `requestMaxTokens` is the max_tokens requests are sent with (aimlChat.maxTokens): the API counts
 * it against the window, so the caller gets the rest for its prompt.
 */
export function lmModelInformation(models: readonly LmModelSource[], requestMaxTokens: number): LmModelInformation[] {
  return models.map((model) => {
    const window = model.contextWindow ?? CLAUDE_CONTEXT_WINDOW;
    const reserved = Math.min(Math.max(1, requestMaxTokens), model.defaultMaxTokens);
    const version = /(\d+(?:\.\d+)?)\s*(?:\(|$)/.exec(model.label)?.[1] ?? model.id;
    return {
      id: model.id,
      name: model.label,
      family: `claude-${model.family}-${version}`,
      version: model.id,
      tooltip: `${model.label} (${model.id}) through the AI/ML API: ${Math.round(window / 1000)}K-token context, up to ${model.defaultMaxTokens} output tokens.`,
      detail: 'AIML API',
      maxInputTokens: window - reserved,
      maxOutputTokens: model.defaultMaxTokens,
      capabilities: { toolCalling: true, imageInput: true },
    };
  });
}
