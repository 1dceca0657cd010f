// The Claude models as VS Code language-model information: what the model picker and
// `vscode.lm.selectChatModels` show. From the gateway's catalogue when it has been read, else the
// built-in table (whose Claude models all call tools and read images).
import type { ModelInfo as CatalogueModel } from '../api/catalogue';
import { findBuiltInModel, listModels } from '../api/models';

/** Claude's context window (input + output) unless the catalogue knows better. */
export const CLAUDE_CONTEXT_WINDOW = 200_000;

/** A model to list: from the built-in table, or a gateway catalogue entry that knows its window. */
export interface LmModelSource {
  id: string;
  label: string;
  /** opus, sonnet, haiku (or whatever the catalogue's id says). */
  family: string;
  defaultMaxTokens: number;
  contextWindow?: number;
  /** What the catalogue says the model takes; every built-in Claude model takes both. */
  capabilities?: { tools: boolean; images: boolean };
}

const FAMILY_IN_ID = /claude-([a-z]+)-\d/;

/**
 * The gateway catalogue's models as sources. A model keeps the id the built-in table lists for it
 * (`claude-sonnet-4-6`, an alias the gateway serves) when the catalogue names one, so a model
 * picked in VS Code before the catalogue arrived is still the same model afterwards.
 */
export function lmSourcesFromCatalogue(models: readonly CatalogueModel[]): LmModelSource[] {
  const builtInIds = new Set(listModels().map((m) => m.id));
  const listed = new Set<string>();
  return models.flatMap((model): LmModelSource[] => {
    const ids = [model.id, ...model.aliases];
    const id = ids.find((candidate) => builtInIds.has(candidate)) ?? model.id;
    // Two entries for one model (an id and its alias listed apart) are offered once.
    if (listed.has(id)) return [];
    listed.add(id);
    const builtIn = findBuiltInModel(id);
    return [{
      id,
      label: model.name,
      family: builtIn?.family ?? ids.map((candidate) => FAMILY_IN_ID.exec(candidate)?.[1]).find(Boolean) ?? 'other',
      defaultMaxTokens: model.maxOutput,
      contextWindow: model.contextWindow,
      capabilities: { tools: model.capabilities.tools, images: model.capabilities.images },
    }];
  });
}

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
      capabilities: { toolCalling: model.capabilities?.tools ?? true, imageInput: model.capabilities?.images ?? true },
    };
  });
}
