// The tool runner, loaded on first use from its own bundle (dist/tools.js, built from
// runnerBundle.ts), so the extension bundle that every activation compiles and evaluates leaves out
// every tool (issue 15; docs/ARCHITECTURE.md "Built on first use"). What asks for tool definitions
// or runs a tool loads it: the chat view's first `init` (whether tools are available), the first
// answer, the "Choose VS Code Tools" command. Decisions before that find nothing pending.
import type { ToolExecutor } from '../../core/chat/toolExecutor';
import type { ToolRunner } from '../../core/tools/toolRunner';
import type { ToolRunnerDeps, ToolRunnerParts } from './runnerBundle';

/** What the bundle exports (runnerBundle.ts). */
export type ToolsBundle = typeof import('./runnerBundle');

/** The runner's public surface: the chat's executor and the decisions of cards and proposals. */
export type ToolsRunner = Pick<ToolRunner, 'forTurn' | 'definitions' | 'isReadOnly' | 'toolsNotice' | 'execute' | 'decide' | 'showDiff' | 'pendingDecisions'>;

export class LazyToolRunner implements ToolsRunner, ToolExecutor {
  private parts: ToolRunnerParts | undefined;
  private bundle: ToolsBundle | undefined;

  /** `load` requires dist/tools.js (tests pass the module itself); `loaded` hears how long it took. */
  constructor(private readonly deps: ToolRunnerDeps, private readonly load: () => ToolsBundle, private readonly loaded?: (ms: number) => void) {}

  /** The bundle's module, loaded once. */
  module(): ToolsBundle {
    if (!this.bundle) {
      const started = performance.now();
      this.bundle = this.load();
      this.loaded?.(performance.now() - started);
    }
    return this.bundle;
  }

  /** Whether the runner exists yet (tests). */
  get isLoaded(): boolean {
    return this.parts !== undefined;
  }

  private runner(): ToolRunner {
    this.parts ??= this.module().createToolRunner(this.deps);
    return this.parts.runner;
  }

  forTurn(...args: Parameters<ToolRunner['forTurn']>): ToolExecutor {
    return this.runner().forTurn(...args);
  }

  definitions(...args: Parameters<ToolRunner['definitions']>): ReturnType<ToolRunner['definitions']> {
    return this.runner().definitions(...args);
  }

  isReadOnly(toolName: string): boolean {
    return this.runner().isReadOnly(toolName);
  }

  toolsNotice(): string | undefined {
    return this.runner().toolsNotice();
  }

  execute(...args: Parameters<ToolRunner['execute']>): ReturnType<ToolRunner['execute']> {
    return this.runner().execute(...args);
  }

  // Nothing can wait for a decision before the runner ran a tool: these do not load it.
  decide(...args: Parameters<ToolRunner['decide']>): boolean {
    return this.parts?.runner.decide(...args) ?? false;
  }

  showDiff(toolUseId: string): Promise<boolean> {
    return this.parts?.runner.showDiff(toolUseId) ?? Promise.resolve(false);
  }

  pendingDecisions(): ReturnType<ToolRunner['pendingDecisions']> {
    return this.parts?.runner.pendingDecisions() ?? [];
  }

  dispose(): void {
    this.parts?.dispose();
  }
}
