// Composition root: builds the objects by hand, registers everything, pushes disposables.
// Each feature module exposes one `register…` function; nothing here holds feature logic.
// First import: the bundle's clock starts before any other module of it runs.
import { bundleStartedAt } from './host/bundleClock';
import * as vscode from 'vscode';
import { messagesClientFactory, type MessagesClientFactory } from './core/api/clientFactory';
import { ApiKeyStore } from './host/secrets';
import { readSettings } from './host/config';
import { registerChat, type ChatTestApi } from './host/chatFeature';
import { registerLazyBatch } from './host/batch/lazy';
import { findModel } from './core/api/models';
import { registerTools, type ToolsFeature } from './host/tools/toolsFeature';
import { CheckpointsFeature } from './host/checkpoints/checkpointsFeature';
import { registerRefactor } from './host/refactor';
import { registerApiKeyCommands } from './host/testCommands';
import { isTestMode } from './host/testMode';
import { registerGateway } from './host/gateway';
import { registerLanguageModels } from './host/lm/lmFeature';
import { registerParticipant } from './host/participant/participantFeature';
import { SpendLedger, spendEntryOfAnswer } from './core/spend/spendLedger';

/** Evaluating the bundle's modules (everything imported above) ends here, before activate() runs. */
const bundleEvaluatedInMs = performance.now() - bundleStartedAt;

export interface ExtensionServices {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  apiKey: ApiKeyStore;
  /** The one factory of messages clients (chat, refactor, batch, later front ends). */
  messagesClient: MessagesClientFactory;
  /** Test-only commands and arguments are honoured (src/host/testCommands.ts). */
  testMode: boolean;
  /** What every front end spent since activation (chat view, language-model provider, @aiml). */
  ledger: SpendLedger;
}

/** Writes what the chat has pending; set by activate, awaited by deactivate. */
let flushChat: (() => Promise<void>) | undefined;

/** What integration tests read of the gateway feature (balance item, catalogue). */
export interface GatewayTestApi {
  balance(): { visible: boolean; text: string; label: string | undefined; warning?: string };
  refreshBalance(): Promise<unknown>;
  /** Lowers the once-a-minute limit of refreshes after answers (tests). */
  setAfterAnswerIntervalMs(ms: number): void;
  models(): Array<{ id: string; name: string; maxOutput: number }>;
}

export interface ExtensionExports { activatedInMs: number; activationLaps: Record<string, number>; bundleEvaluatedInMs: number; chat: ChatTestApi; tools: ToolsFeature['runner']; gateway: GatewayTestApi; spend: SpendLedger }

export async function activate(context: vscode.ExtensionContext): Promise<ExtensionExports> {
  const started = performance.now();
  const laps = stopwatch(started);
  const log = vscode.window.createOutputChannel('AIML Chat', { log: true });
  const apiKey = new ApiKeyStore(context.secrets);
  context.subscriptions.push(log, apiKey);
  const messagesClient = messagesClientFactory({ debug: (m) => log.debug(m), warn: (m) => log.warn(m) });
  const services: ExtensionServices = { context, log, apiKey, messagesClient, testMode: isTestMode(context), ledger: new SpendLedger() };

  context.subscriptions.push(...registerApiKeyCommands(vscode.commands, services.testMode, {
    set: (key) => apiKey.set(key),
    promptAndStore: () => apiKey.promptAndStore(),
    clear: () => apiKey.clear(),
    notify: (message) => void vscode.window.showInformationMessage(message),
  }));

  laps.lap('services');
  const { chat, tools, gateway } = registerFeatures(services, laps.lap);
  laps.lap('rest');
  // Issue 15's target is 15 ms; docs/BENCHMARKS.md has the median in the real host
  // (bench/activation.bench.ts).
  const activatedInMs = performance.now() - started;
  // Written after activation: the first write to the log channel and reading the settings took
  // 16-91 ms in the real host (bench/activation.bench.ts), and nothing needs them for the first paint.
  setTimeout(() => {
    log.info(`activated (base URL ${readSettings().baseUrl})`);
    log.debug(`activate() took ${activatedInMs.toFixed(2)} ms (${Object.entries(laps.laps).map(([name, ms]) => `${name} ${ms}`).join(', ')}); evaluating the bundle before it ${bundleEvaluatedInMs.toFixed(2)} ms`);
  }, 0);
  // The exports are for the integration tests (vscode.extensions.getExtension(...).exports).
  return { activatedInMs, activationLaps: laps.laps, bundleEvaluatedInMs, chat, tools, gateway, spend: services.ledger };
}

/** Milliseconds spent in each part of activate(), so a slow start names its cause. */
function stopwatch(started: number): { laps: Record<string, number>; lap(name: string): void } {
  let last = started;
  const laps: Record<string, number> = {};
  return {
    laps,
    lap: (name) => {
      const now = performance.now();
      laps[name] = Math.round((now - last) * 100) / 100;
      last = now;
    },
  };
}

function registerFeatures(services: ExtensionServices, lap: (name: string) => void): { chat: ChatTestApi; tools: ToolsFeature['runner']; gateway: GatewayTestApi } {
  // Feature modules register here (gateway services, chat view, tools, images, batch).
  // Each feature names its own parts (gateway.*, tools.*); `gateway` and `tools` are what is left.
  const gateway = registerGateway(services, lap);
  lap('gateway');
  // The runner asks for a turn's checkpoint only once an answer runs, after `checkpoints` exists.
  const tools = registerTools({ ...services, checkpoints: (turn) => checkpoints.forTurn(turn) }, lap);
  lap('tools');
  const checkpoints = new CheckpointsFeature(services, tools.host);
  lap('checkpoints');
  const chatFeature = registerChat({
    ...services, gateway, toolActions: tools.actions, toolHost: tools.host,
    toolExecutor: (turn) => (turn ? tools.runner.forTurn(turn) : tools.runner),
    checkpoints: { ...checkpoints.viewActions, forget: (id) => checkpoints.forget(id) },
  });
  services.context.subscriptions.push(...checkpoints.attach(chatFeature));
  flushChat = chatFeature.flush;
  // The chat view's answers count in the same ledger as the provider's and @aiml's (the gateway
  // hooks already log each one's cost). The session is built on first use (chatFeature.ts).
  chatFeature.onBuilt(({ session }) => services.context.subscriptions.push(session.subscribe((event) => {
    const spent = event.type === 'messageFinished' ? spendEntryOfAnswer('chat', event.message, readSettings().model, Date.now()) : undefined;
    if (spent) services.ledger.record(spent);
  })));
  const chat = chatFeature.testApi;
  lap('chat');
  registerRefactor({ ...services, gateway, proposals: tools.proposals });
  registerLazyBatch({ ...services, proposals: tools.proposals, findModel });
  lap('refactor+batch');
  // VS Code's Chat is optional: a host without its API (some forks) keeps everything else.
  try {
    registerLanguageModels({ ...services, catalogue: gateway.catalogue });
    registerParticipant({ ...services, sessionDeps: chatFeature.sessionDeps, toolHost: tools.host, showDiff: (id) => tools.runner.showDiff(id) });
  } catch (error) {
    services.log.error(`VS Code's Chat integration (AIML models, @aiml) is not available here: ${(error as Error).message}`);
  }
  lap('lm+participant');
  const gatewayTestApi: GatewayTestApi = {
    balance: () => gateway.balance.state,
    refreshBalance: () => gateway.balance.refresh(),
    setAfterAnswerIntervalMs: (ms) => { gateway.balance.afterAnswerIntervalMs = ms; },
    models: () => gateway.catalogue.models(),
  };
  return { chat, tools: tools.runner, gateway: gatewayTestApi };
}

/**
 * VS Code waits for the returned promise (within its shutdown limit): the answer in flight is
 * stopped and the conversation's last state written before the process may exit. Everything else
 * is disposed through context.subscriptions.
 */
export function deactivate(): Promise<void> | undefined {
  return flushChat?.();
}
