// The ToolExecutor the turn runner calls: validates each call's input with zod before anything
// runs, applies the approval policy, keeps the chat card up to date, waits for the user's
// decisions (routed in through decide()) and turns every outcome into a tool_result.
import type { ApiToolDefinition } from '../api/types';
import type { ToolExecutionContext, ToolExecutor } from '../chat/toolExecutor';
import type { ChatMode, ToolCallState, ToolResultBlock, ToolUseBlock } from '../../shared/model';
import { CallScope, failure, type Decision, type Outcome } from './callScope';
import { runCommandTool, type CommandRunner, type CommandSettings } from './commandTool';
import { customToolNames, describeZodError, inputJsonSchema, toolSpecs, type CustomToolName } from './definitions';
import { runEdit } from './editFlow';
import type { EditRequest } from './edits';
import { runExternalTool } from './externalToolCall';
import { ExternalToolTable, type ExternalToolSource } from './externalTools';
import { PathResolver } from './paths';
import { toolOverride, toolsOffReason, type ToolPolicySettings } from './policy';
import { findFiles, getDiagnostics, getSelection, listDirectory, readFile, searchText } from './readTools';
import { SensitivePaths } from './sensitivePaths';
import { ContentGate } from '../security/contentGate';
import { equivalentToolName, parseTextEditorInput, runTextEditor, TEXT_EDITOR_TOOL_NAME, textEditorDefinition } from './textEditorTool';
import type { ToolHost } from './toolHost';
import type { TurnCheckpoint } from '../checkpoints/recorder';
import type { TurnInfo } from '../chat/session/types';

export type EditorToolStyle = 'custom' | 'anthropic';

export interface ToolRunnerSettings extends ToolPolicySettings {
  /** `custom`: read_file/list_directory/propose_edit; `anthropic`: the text editor tool in their place. */
  editorToolStyle: EditorToolStyle;
  /** run_command prefixes that run unasked (user scope only); absent means none. */
  commandAllowlist?: string[];
  /** run_command's default timeout; absent means 120. */
  commandTimeoutSeconds?: number;
  /** VS Code / MCP tools the user chose (aimlChat.tools.vscodeTools, user scope only); absent means none. */
  externalTools?: string[];
}

export const DEFAULT_COMMAND_TIMEOUT_SECONDS = 120;

/** Names an external tool can never take from our own tools. */
const RESERVED_NAMES: ReadonlySet<string> = new Set<string>([...customToolNames, TEXT_EDITOR_TOOL_NAME]);

/** Tools the text editor tool replaces when the `anthropic` style is chosen. */
const COVERED_BY_TEXT_EDITOR: ReadonlySet<CustomToolName> = new Set(['read_file', 'list_directory', 'propose_edit']);

interface PendingDecision {
  kind: 'allow_deny' | 'apply_discard';
  resolve(decision: Decision): void;
  reveal?: () => Promise<void>;
}

/** Input normally arrives parsed; a JSON string (from a lenient stream decoder) is parsed here once. */
function inputObject(input: unknown): unknown {
  if (input === undefined || input === null) return {};
  if (typeof input !== 'string') return input;
  try {
    return JSON.parse(input);
  } catch {
    return input;
  }
}

export class AbortedError extends Error {
  constructor() {
    super('The tool calls were stopped.');
    this.name = 'AbortError';
  }
}

export class ToolRunner implements ToolExecutor {
  private readonly pending = new Map<string, PendingDecision>();

  /**
   * `commands`: where run_command runs; without one the tool is not offered. `external`: VS Code's
   * tools (vscode.lm.tools), offered when the user chose some.
   */
  constructor(
    private readonly host: ToolHost, private readonly settings: () => ToolRunnerSettings, private readonly commands?: CommandRunner,
    private readonly external?: ExternalToolSource,
    /** Records each answer's checkpoints (issue 13); without it nothing is recorded. */
    private readonly checkpoints?: (turn: TurnInfo) => TurnCheckpoint,
  ) {}

  /** This executor for one answer: its writes and commands are recorded in that turn's checkpoint. */
  forTurn(turn: TurnInfo): ToolExecutor {
    const checkpoint = turn.transient ? undefined : this.checkpoints?.(turn);
    return { definitions: (mode) => this.definitions(mode), isReadOnly: (name) => this.isReadOnly(name), execute: (calls, context) => this.execute(calls, context, checkpoint) };
  }

  /** Plan mode: read-only tools only, and read_file/list_directory stand in for the text editor tool. */
  private offered(name: CustomToolName, settings: ToolRunnerSettings, mode: ChatMode): boolean {
    if (mode === 'plan') {
      if (!toolSpecs[name].readOnly) return false;
    } else if (settings.editorToolStyle === 'anthropic' && COVERED_BY_TEXT_EDITOR.has(name)) return false;
    if (name === 'run_command' && !this.commands) return false;
    return toolOverride(settings, [name]) !== 'never';
  }

  /** Why tools are off right now (Restricted Mode, setting), for the chat's notice; undefined when on. */
  toolsNotice(): string | undefined {
    return toolsOffReason(this.settings());
  }

  /** The custom tools' own `readOnly`; the text editor tool (it also writes) and unknown names are not. */
  isReadOnly(toolName: string): boolean {
    return (customToolNames as readonly string[]).includes(toolName) && toolSpecs[toolName as CustomToolName].readOnly;
  }

  // Stryker disable next-line StringLiteral: any mode other than 'plan' is the agent mode here
  definitions(mode: ChatMode = 'agent'): ApiToolDefinition[] {
    const settings = this.settings();
    if (toolsOffReason(settings)) return [];
    const defs: ApiToolDefinition[] = [];
    if (mode !== 'plan' && settings.editorToolStyle === 'anthropic' && toolOverride(settings, [TEXT_EDITOR_TOOL_NAME]) !== 'never') defs.push({ ...textEditorDefinition });
    for (const name of customToolNames) {
      if (!this.offered(name, settings, mode)) continue;
      const spec = toolSpecs[name];
      defs.push({ name, description: spec.description, input_schema: inputJsonSchema(name) });
    }
    return mode === 'plan' ? defs : [...defs, ...this.externalTable(settings).definitions()];
  }

  /**
   * The chosen VS Code / MCP tools under their API names (never read-only: Plan mode leaves them
   * out). Our own tool names are reserved whatever is offered, so a call maps back the same way.
   */
  private externalTable(settings: ToolRunnerSettings): ExternalToolTable {
    // Stryker disable next-line ArrayDeclaration: a made-up choice matches no listed tool's name
    const choices = settings.externalTools ?? [];
    const listed = this.external && choices.length ? this.external.list() : [];
    return new ExternalToolTable(listed, choices, RESERVED_NAMES);
  }

  /**
   * The user's answer to a card. Returns false when no call with that id waits for that kind of
   * answer (already decided, stopped, or a stale button), so callers can ignore it safely.
   */
  decide(toolUseId: string, decision: Decision['decision'], acceptedHunks?: number[]): boolean {
    const pending = this.pending.get(toolUseId);
    if (!pending) return false;
    const fits = pending.kind === 'allow_deny' ? decision === 'allow' || decision === 'deny' : decision === 'apply' || decision === 'discard';
    if (!fits) return false;
    this.pending.delete(toolUseId);
    pending.resolve({ decision, acceptedHunks });
    return true;
  }

  /** Brings a pending edit's diff to the front. False when the call has no diff to show. */
  async showDiff(toolUseId: string): Promise<boolean> {
    const reveal = this.pending.get(toolUseId)?.reveal;
    if (!reveal) return false;
    await reveal();
    return true;
  }

  /** Ids of calls waiting for the user (for tests and the chat's "waiting" state). */
  pendingDecisions(): Array<{ toolUseId: string; kind: 'allow_deny' | 'apply_discard' }> {
    return [...this.pending].map(([toolUseId, p]) => ({ toolUseId, kind: p.kind }));
  }

  async execute(calls: ToolUseBlock[], context: ToolExecutionContext, checkpoint?: TurnCheckpoint): Promise<ToolResultBlock[]> {
    // Every card appears at once, so the user sees the whole batch; calls then run in order,
    // which keeps several edits to one file consistent (each is computed after the previous one).
    const cards = calls.map((call): ToolCallState => ({ toolUseId: call.id, tool: call.name, target: '', status: 'validating' }));
    cards.forEach((card) => context.onCard({ ...card }));
    const results: ToolResultBlock[] = [];
    const settings = this.settings();
    const gate = new ContentGate(new PathResolver(this.host.roots()), new SensitivePaths(settings.secretFilePatterns), (file) => this.host.isExcluded(file.absPath, file.root));
    const post = (state: ToolCallState) => context.onCard(state);
    for (const [i, call] of calls.entries()) {
      const card = cards[i];
      let outcome: Outcome;
      try {
        if (context.signal.aborted) throw new AbortedError();
        outcome = await this.runOne(call, settings, gate, card, post, context.signal, context.invocationToken, checkpoint, context.mode);
      } catch (error) {
        // Stopped: the calls not yet run are shown as skipped; the runner sends no results.
        for (const later of cards.slice(i)) post({ ...later, status: 'skipped', summary: 'stopped', approval: undefined });
        throw error;
      }
      Object.assign(card, { status: outcome.status, summary: outcome.summary, details: outcome.details });
      delete card.approval;
      post({ ...card });
      // Stryker disable next-line StringLiteral: a safety net; every handler's content is non-empty (external results say "(no output)" themselves)
      const content = outcome.blocks?.length ? outcome.blocks : outcome.content || '(no output)';
      results.push({ type: 'tool_result', tool_use_id: call.id, content, ...(outcome.isError ? { is_error: true } : {}) });
    }
    return results;
  }

  private async runOne(
    call: ToolUseBlock, settings: ToolRunnerSettings, gate: ContentGate,
    // Stryker disable next-line StringLiteral: any mode other than 'plan' is the agent mode here
    card: ToolCallState, post: (s: ToolCallState) => void, signal: AbortSignal, invocationToken?: unknown, checkpoint?: TurnCheckpoint, mode: ChatMode = 'agent',
  ): Promise<Outcome> {
    const off = toolsOffReason(settings);
    if (off) return failure('tools are off', off);
    const isTextEditor = call.name === TEXT_EDITOR_TOOL_NAME && mode !== 'plan';
    // VS Code / MCP tools are never read-only: Plan mode neither offers nor runs them.
    const external = isTextEditor || mode === 'plan' || RESERVED_NAMES.has(call.name) ? undefined : this.externalTable(settings).tool(call.name);
    if (!isTextEditor && !external && !((customToolNames as readonly string[]).includes(call.name) && this.offered(call.name as CustomToolName, settings, mode))) {
      return failure('unknown tool', `Unknown tool "${call.name}". Available tools: ${this.definitions(mode).map((d) => d.name).join(', ')}.`);
    }
    const policyNames = isTextEditor ? [TEXT_EDITOR_TOOL_NAME, equivalentToolName(call.input)] : external ? [external.name, call.name] : [call.name];
    const scope = new CallScope(call.id, policyNames, this.host, gate, settings, signal, card, post, (kind, reveal) => this.waitForDecision(call.id, kind, signal, reveal), checkpoint);
    try {
      if (external && this.external) return await runExternalTool(scope, this.external, external, inputObject(call.input), invocationToken);
      if (isTextEditor) {
        const parsed = parseTextEditorInput(inputObject(call.input));
        if (!parsed.ok) return failure('invalid input', parsed.message);
        scope.update({ status: 'running', target: parsed.value.path });
        return await runTextEditor(scope, parsed.value);
      }
      const name = call.name as CustomToolName;
      const parsed = toolSpecs[name].schema.safeParse(inputObject(call.input));
      if (!parsed.success) return failure('invalid input', `Invalid input for ${name}: ${describeZodError(parsed.error)}. Nothing was run.`);
      scope.update({ status: 'running' });
      return await this.dispatch(name, scope, parsed.data, settings);
    } catch (error) {
      if (signal.aborted || error instanceof AbortedError) throw error instanceof AbortedError ? error : new AbortedError();
      return failure('failed', `${call.name} failed: ${(error as Error).message ?? String(error)}`);
    }
  }

  // The parsed input's type follows from `name`; the casts only restate what the schema checked.
  private dispatch(name: CustomToolName, scope: CallScope, input: unknown, settings: ToolRunnerSettings): Promise<Outcome> {
    switch (name) {
      case 'read_file': return readFile(scope, input as Parameters<typeof readFile>[1]);
      case 'list_directory': return listDirectory(scope, input as Parameters<typeof listDirectory>[1]);
      case 'find_files': return findFiles(scope, input as Parameters<typeof findFiles>[1]);
      case 'search_text': return searchText(scope, input as Parameters<typeof searchText>[1]);
      case 'get_selection': return getSelection(scope);
      case 'get_diagnostics': return getDiagnostics(scope, input as Parameters<typeof getDiagnostics>[1]);
      case 'propose_edit': {
        const edit = input as { path: string; action: 'replace' | 'insert' | 'create'; old_text?: string; new_text: string; line?: number };
        // The schema requires line for insert and old_text for replace (a create ignores it).
        return runEdit(scope, edit.path, { action: edit.action, line: edit.line, oldText: edit.old_text, newText: edit.new_text } as EditRequest);
      }
      case 'run_command': {
        // offered() checked that a runner exists before dispatch.
        // Stryker disable next-line ArrayDeclaration: a made-up allowlist entry matches no real command
        const commandSettings: CommandSettings = { commandAllowlist: settings.commandAllowlist ?? [], commandTimeoutSeconds: settings.commandTimeoutSeconds ?? DEFAULT_COMMAND_TIMEOUT_SECONDS };
        return runCommandTool(scope, this.commands as CommandRunner, commandSettings, input as Parameters<typeof runCommandTool>[3]);
      }
    }
  }

  private waitForDecision(toolUseId: string, kind: PendingDecision['kind'], signal: AbortSignal, reveal?: () => Promise<void>): Promise<Decision> {
    return new Promise<Decision>((resolve, reject) => {
      if (signal.aborted) { reject(new AbortedError()); return; }
      const onAbort = () => {
        this.pending.delete(toolUseId);
        reject(new AbortedError());
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.pending.set(toolUseId, {
        kind,
        reveal,
        resolve: (decision) => {
          signal.removeEventListener('abort', onAbort);
          resolve(decision);
        },
      });
    });
  }
}
