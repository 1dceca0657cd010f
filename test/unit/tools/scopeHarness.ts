// Runs one tool handler directly (readTools, searchTool, commandTool, externalToolCall) against a
// FakeHost over a real temporary folder, with a CallScope whose questions are answered as the test
// says and whose card updates are recorded, so a test sees the exact Outcome: status, summary,
// content, the defence that fired (refusal / gated kinds) and what the card showed.
import { ContentGate } from '../../../src/core/security/contentGate';
import { CallScope, type Decision } from '../../../src/core/tools/callScope';
import { PathResolver } from '../../../src/core/tools/paths';
import { SensitivePaths } from '../../../src/core/tools/sensitivePaths';
import type { ToolRunnerSettings } from '../../../src/core/tools/toolRunner';
import type { ToolCallState } from '../../../src/shared/model';
import { FakeHost, settings as defaultSettings } from './fakeHost';

export interface ScopeOptions {
  /** The answer to every question on the card; undefined: a question fails the test. */
  answer?: Decision['decision'];
  settings?: Partial<ToolRunnerSettings>;
  policyNames?: string[];
  signal?: AbortSignal;
}

export interface RecordingScope extends CallScope {
  /** Every card state posted, in order. */
  cards: ToolCallState[];
  /** The cards that asked (status awaiting_approval). */
  asked(): ToolCallState[];
  /** The last target shown on the card. */
  target(): string;
}

export function scopeFor(host: FakeHost, options: ScopeOptions = {}): RecordingScope {
  const settings = defaultSettings(options.settings);
  const gate = new ContentGate(new PathResolver(host.roots()), new SensitivePaths(settings.secretFilePatterns), (file) => host.isExcluded(file.absPath, file.root));
  const names = options.policyNames ?? ['read_file'];
  const card: ToolCallState = { toolUseId: 't', tool: names[0], target: '', status: 'validating' };
  const cards: ToolCallState[] = [];
  const answer = async (): Promise<Decision> => {
    if (!options.answer) throw new Error('the tool asked, but the test expected no question');
    return { decision: options.answer };
  };
  const scope = new CallScope('t', names, host, gate, settings, options.signal ?? new AbortController().signal, card, (state) => cards.push(structuredClone(state)), answer) as RecordingScope;
  scope.cards = cards;
  scope.asked = () => cards.filter((c) => c.status === 'awaiting_approval');
  scope.target = () => card.target;
  return scope;
}
