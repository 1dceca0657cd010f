// The `@aiml` participant of VS Code's Chat view. Each request runs on its own ChatSession built
// from the sidebar's deps (same key, settings, tools, approvals and diff flow) with an in-memory
// store: VS Code keeps the conversation, and hands it back as ChatContext.history.
import * as vscode from 'vscode';
import { ChatSession } from '../../core/chat/session/chatSession';
import type { ChatSessionDeps, SessionEvent, TurnInfo } from '../../core/chat/session/types';
import type { ToolExecutor } from '../../core/chat/toolExecutor';
import { historyFromTurns, type ParticipantTurn } from '../../core/participant/history';
import { memorySessionStore } from '../../core/participant/memoryStore';
import { PARTICIPANT_ID, followupsFor, isParticipantCommand, participantPromptText } from '../../core/participant/prompt';
import { referenceChips } from '../../core/participant/references';
import { problemsChip, selectionChip, type ContextReadDeps } from '../../core/context/contextSources';
import { COMMAND_CONTEXT } from '../../core/context/slashCommands';
import { PathResolver } from '../../core/tools/paths';
import { SensitivePaths } from '../../core/tools/sensitivePaths';
import type { ToolHost } from '../../core/tools/toolHost';
import type { ContextAttachment } from '../../shared/context';
import { readSettings } from '../config';
import { describeSpend, spendEntryOfAnswer, type SpendLedger } from '../../core/spend/spendLedger';
import type { ErrorInfo } from '../../shared/model';
import { LM_VENDOR } from '../lm/provider';
import { participantReferences } from './references';
import { ToolCardRenderer } from './toolCards';

export interface ParticipantOptions {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  ledger: SpendLedger;
  sessionDeps: ChatSessionDeps;
  /** Reads references through the chat view's content gate (confinement, secrets). */
  toolHost: ToolHost;
  /** Brings a pending edit's diff to the front (the tools runner); false when there is none. */
  showDiff(toolUseId: string): Promise<boolean>;
}

interface ParticipantResultMetadata { command?: string }

export function registerParticipant(options: ParticipantOptions): vscode.ChatParticipant {
  const participant = vscode.chat.createChatParticipant(PARTICIPANT_ID, (request, chatContext, stream, token) => answer(options, request, chatContext, stream, token));
  participant.iconPath = vscode.Uri.joinPath(options.context.extensionUri, 'media', 'icon.png');
  participant.followupProvider = {
    provideFollowups: (result: vscode.ChatResult) => followupsFor((result.metadata as ParticipantResultMetadata | undefined)?.command)
      .map((f) => ({ label: f.label, prompt: f.prompt, command: f.command, participant: PARTICIPANT_ID })),
  };
  options.context.subscriptions.push(
    participant,
    // The "Show Diff" button of an edit waiting in the Chat view (Apply / Discard use aimlChat.internal.decide).
    vscode.commands.registerCommand('aimlChat.internal.showDiff', (toolUseId: unknown) => (typeof toolUseId === 'string' ? options.showDiff(toolUseId) : false)),
  );
  return participant;
}

/** The model picked in the Chat view when it is one of ours, else the one set for AIML Chat. */
function modelFor(request: vscode.ChatRequest, configured: string): string {
  return request.model?.vendor === LM_VENDOR ? request.model.id : configured;
}

function historyTurns(chatContext: vscode.ChatContext): ParticipantTurn[] {
  return chatContext.history.filter((turn) => turn.participant === PARTICIPANT_ID).map((turn): ParticipantTurn => {
    if (turn instanceof vscode.ChatRequestTurn) return { role: 'user', text: participantPromptText(turn.command, turn.prompt) };
    const text = turn.response.map((part) => (part instanceof vscode.ChatResponseMarkdownPart ? part.value.value : '')).join('');
    return { role: 'assistant', text };
  });
}

/**
 * The references as context chips, read as the chat view reads them; a slash command with nothing
 * attached takes what the chat view's command takes (the selection, and the problems for /fix).
 */
async function contextFor(host: ToolHost, request: vscode.ChatRequest): Promise<{ chips: ContextAttachment[]; refused: string[] }> {
  const deps: ContextReadDeps = { host, resolver: new PathResolver(host.roots()), sensitive: new SensitivePaths(readSettings().secretFilePatterns) };
  const references = participantReferences(request.references);
  // Like the chat view's chips: no workspace content in Restricted Mode.
  const trusted = vscode.workspace.isTrusted;
  const result = await referenceChips(deps, trusted ? references : references.filter((r) => r.kind === 'text'));
  if (!trusted && references.some((r) => r.kind !== 'text')) result.refused.push('workspace content cannot be attached in Restricted Mode; trust the workspace first');
  if (result.chips.length > 0 || !isParticipantCommand(request.command) || !trusted) return result;
  for (const kind of COMMAND_CONTEXT[request.command]) {
    const chip = await (kind === 'problems' ? problemsChip(deps) : selectionChip(deps)).catch(() => undefined);
    if (chip?.ok) result.chips.push(chip.chip);
  }
  return result;
}

async function answer(options: ParticipantOptions, request: vscode.ChatRequest, chatContext: vscode.ChatContext, stream: vscode.ChatResponseStream, token: vscode.CancellationToken): Promise<vscode.ChatResult> {
  const { log, ledger, sessionDeps } = options;
  const metadata: ParticipantResultMetadata = { command: request.command };
  const base = sessionDeps.settings();
  const model = modelFor(request, base.model);
  // VS Code's own request token goes with every tool call: VS Code then shows its confirmation for
  // VS Code / MCP tools (outside a chat request VS Code asks nothing, so our card asks instead).
  // Its turns are transient: VS Code's Chat keeps no checkpoints of ours.
  const executor = (turn: TurnInfo): ToolExecutor => {
    const inner = sessionDeps.executor({ ...turn, transient: true });
    return { definitions: () => inner.definitions(), execute: (calls, context) => inner.execute(calls, { ...context, invocationToken: request.toolInvocationToken }) };
  };
  const session = new ChatSession({ ...sessionDeps, executor, store: memorySessionStore(), settings: () => ({ ...sessionDeps.settings(), model }) }, { remembersLastOpen: false });
  session.conversation.messages.push(...historyFromTurns(historyTurns(chatContext), () => `history-${Math.random().toString(36).slice(2)}`, Date.now()));

  const chips = await contextFor(options.toolHost, request);
  for (const reason of chips.refused) stream.markdown(`*Not attached: ${reason}.*\n\n`);
  for (const reference of request.references) {
    if (reference.value instanceof vscode.Uri || reference.value instanceof vscode.Location) stream.reference(reference.value);
  }

  let failure: ErrorInfo | undefined;
  let textBlocksShown = 0;
  const cards = new ToolCardRenderer(stream);
  const subscription = session.subscribe((event: SessionEvent) => {
    switch (event.type) {
      case 'streamDelta': {
        const e = event.event;
        // Separate the text of successive blocks and tool rounds, as the chat view does.
        if (e.type === 'content_block_start' && e.content_block.type === 'text' && textBlocksShown++ > 0) stream.markdown('\n\n');
        if (e.type === 'content_block_delta' && e.delta.type === 'text_delta') stream.markdown(e.delta.text);
        if (e.type === 'content_block_delta' && e.delta.type === 'thinking_delta') cards.thinking();
        break;
      }
      case 'toolCard':
        cards.render(event.call);
        break;
      case 'messageFinished': {
        const spent = spendEntryOfAnswer('participant', event.message, model, Date.now());
        if (spent) {
          ledger.record(spent);
          log.info(`[participant] ${describeSpend(spent)}`);
        }
        if (event.message.error) failure = event.message.error;
        break;
      }
      case 'promptReturned':
        failure = event.error ?? failure ?? { kind: 'unknown', message: event.reason === 'busy' ? 'Another answer is still running.' : 'The prompt was not sent.' };
        break;
      case 'error':
        failure = event.error;
        break;
      default:
        break;
    }
  });
  const abort = new AbortController();
  const cancellation = token.onCancellationRequested(() => abort.abort());
  try {
    await session.send({ text: participantPromptText(request.command, request.prompt) || 'Help me with the attached context.', chips: chips.chips }, { signal: abort.signal });
    await session.waitIdle();
  } finally {
    cancellation.dispose();
    subscription.dispose();
  }
  if (failure && !token.isCancellationRequested) {
    if (failure.kind === 'no_api_key' || failure.kind === 'authentication') stream.button({ command: 'aimlChat.setApiKey', title: 'Set API Key' });
    return { errorDetails: { message: failure.message }, metadata };
  }
  return { metadata };
}
