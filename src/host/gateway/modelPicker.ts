// The items of AIML Chat: Select Model: the catalogue's Claude models with name, context window
// and output limit, the current choice first-marked, and a current model that left the catalogue
// kept at the top, marked, with its replacement when there is one.
import type * as vscode from 'vscode';
import { lookup, replacementFor, type ModelInfo } from '../../core/api/catalogue';

export type ModelPickItem = vscode.QuickPickItem & { id: string };

function tokens(n: number | undefined): string {
  if (n === undefined) return '?';
  return n >= 1_000_000 ? `${n / 1_000_000}M` : n >= 1000 ? `${Math.round(n / 1000)}K` : String(n);
}

export function modelPickItems(models: readonly ModelInfo[], current: string, fromGateway: boolean): ModelPickItem[] {
  const currentEntry = lookup(models, current);
  const items: ModelPickItem[] = models.map((m) => {
    const isCurrent = m === currentEntry;
    return {
      id: m.id,
      label: `${isCurrent ? '$(check) ' : ''}${m.name}`,
      description: m.id,
      detail: `${tokens(m.contextWindow)} context · ${tokens(m.maxOutput)} max output${isCurrent ? ' · current model' : ''}`,
    };
  });
  if (!currentEntry && fromGateway) {
    const replacement = replacementFor(models, current);
    items.unshift({
      id: current,
      label: `$(warning) ${current}`,
      description: 'no longer in the gateway\'s catalogue',
      detail: replacement ? `Replaced by ${replacement.name} (${replacement.id}); pick it below.` : 'Pick another model below.',
    });
  }
  return items;
}

/** A chosen model that left the catalogue, with its replacement, for a one-time notice. */
export function departedModelNotice(models: readonly ModelInfo[], current: string): string | undefined {
  if (lookup(models, current)) return undefined;
  const replacement = replacementFor(models, current);
  return `The model ${current} is no longer in the AI/ML API catalogue.${replacement ? ` Its replacement is ${replacement.name} (${replacement.id}).` : ''}`;
}
