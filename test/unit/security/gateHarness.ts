// Runs tool handlers directly against a FakeHost over a real temporary folder, with a CallScope
// that records whether the user was asked and answers every question with "no" (deny / discard),
// so a test sees exactly which defence fired (Outcome.refusal / gated kinds) and what leaked.
import { ContentGate } from '../../../src/core/security/contentGate';
import { CallScope, type Decision } from '../../../src/core/tools/callScope';
import { PathResolver } from '../../../src/core/tools/paths';
import { SensitivePaths } from '../../../src/core/tools/sensitivePaths';
import type { ToolRunnerSettings } from '../../../src/core/tools/toolRunner';
import type { ToolCallState } from '../../../src/shared/model';
import { FakeHost, settings as defaultSettings } from '../tools/fakeHost';

export interface Harness {
  host: FakeHost;
  gate: ContentGate;
  scope(policyNames?: string[], signal?: AbortSignal): CallScope & { asked: () => boolean };
}

export function harness(host: FakeHost, overrides: Partial<ToolRunnerSettings> = {}, extraSecrets: string[] = []): Harness {
  const settings = defaultSettings({ autoApplyEdits: true, ...overrides });
  const gate = new ContentGate(new PathResolver(host.roots()), new SensitivePaths(extraSecrets), (file) => host.isExcluded(file.absPath, file.root));
  return {
    host,
    gate,
    scope(policyNames = ['read_file'], signal = new AbortController().signal) {
      let asked = false;
      const card: ToolCallState = { toolUseId: 't', tool: policyNames[0], target: '', status: 'running' };
      const answer = async (kind: 'allow_deny' | 'apply_discard'): Promise<Decision> => {
        asked = true;
        return { decision: kind === 'allow_deny' ? 'deny' : 'discard' };
      };
      const scope = new CallScope('t', policyNames, host, gate, settings, signal, card, () => undefined, answer) as CallScope & { asked: () => boolean };
      scope.asked = () => asked;
      return scope;
    },
  };
}
