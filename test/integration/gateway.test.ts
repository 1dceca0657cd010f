// The gateway's service endpoints inside a real extension host, against the local stand-in: the
// model picker offers a catalogue-only model and a request for it passes the stand-in's
// validation; the balance item updates after an answer; a 403 out of credits says so and links
// to topping up; each answer keeps the gateway's request id.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ChatTestApi } from '../../src/host/chatFeature';
import type { GatewayTestApi } from '../../src/extension';
import { standInRequests, standInUrl } from './support/standIn';

interface PickItem { id: string; label: string; description?: string; detail?: string }

const CATALOGUE_ONLY_MODEL = 'anthropic/claude-sonnet-4.7';

async function control(path: string, body: unknown): Promise<void> {
  const response = await fetch(`${standInUrl()}/__standin/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  assert.equal(response.status, 200, await response.text());
}

async function until<T>(probe: () => T | undefined | Promise<T | undefined>, what: string, limitMs = 15_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() - started > limitMs) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('gateway services (extension host + stand-in)', function () {
  this.timeout(60_000);
  let chat: ChatTestApi;
  let gateway: GatewayTestApi;
  let modelBefore: string | undefined;

  before(async () => {
    const extension = vscode.extensions.getExtension<{ chat: ChatTestApi; gateway: GatewayTestApi }>('aiml-chat.aiml-chat');
    assert.ok(extension, 'the extension is installed');
    ({ chat, gateway } = await extension.activate());
    await vscode.commands.executeCommand('aimlChat.setApiKey', 'test-key');
    modelBefore = vscode.workspace.getConfiguration('aimlChat').inspect<string>('model')?.globalValue;
  });

  after(async () => {
    await vscode.workspace.getConfiguration('aimlChat').update('model', modelBefore, vscode.ConfigurationTarget.Global);
    await control('gateway', { balanceUsd: 12.34 });
  });

  it('the model picker offers a catalogue-only model with its limits, and a request for it passes validation', async () => {
    const refreshed = await vscode.commands.executeCommand<{ ok: boolean; count?: number }>('aimlChat.refreshModels');
    assert.equal(refreshed?.ok, true, JSON.stringify(refreshed));
    const items = await vscode.commands.executeCommand<PickItem[]>('aimlChat.selectModel', undefined, { listOnly: true });
    const item = items?.find((i) => i.id === CATALOGUE_ONLY_MODEL);
    assert.ok(item, `the picker offers ${CATALOGUE_ONLY_MODEL}: ${JSON.stringify(items?.map((i) => i.id))}`);
    assert.match(item.label, /Claude Sonnet 4\.7/);
    assert.match(item.detail ?? '', /1M context · 32K max output/);
    assert.ok(!items?.some((i) => i.id.startsWith('openai/')), 'other vendors are not offered');

    await vscode.commands.executeCommand('aimlChat.selectModel', CATALOGUE_ONLY_MODEL);
    await chat.newChat();
    await chat.send('Hello catalogue model');
    await chat.waitIdle();
    const answer = chat.currentConversation().messages[1];
    assert.equal(answer?.status, 'complete', JSON.stringify(answer?.error));
    const sent = (await standInRequests()).filter((r) => r.path === '/v1/messages').at(-1);
    assert.equal((sent?.body as { model?: string }).model, CATALOGUE_ONLY_MODEL);
    assert.match(sent?.headers['x-client-request-id'] ?? '', /^[A-Za-z0-9._:-]{1,128}$/, 'the request carries X-Client-Request-Id');
    assert.match(answer.requestId ?? '', /^inf_/, 'the answer keeps the gateway\'s x-inference-id');
  });

  it('a bad or huge catalogue body keeps the last good list and says why', async () => {
    await control('gateway', { modelsBody: '{"data": "nope"}' });
    const bad = await vscode.commands.executeCommand<{ ok: boolean; reason?: string }>('aimlChat.refreshModels');
    assert.deepEqual(bad, { ok: false, reason: 'the catalogue has no list of models (expected {data: [...]})' });
    await control('gateway', { modelsBody: `{"data": [${'"x",'.repeat(1_200_000)}"x"]}` });
    const huge = await vscode.commands.executeCommand<{ ok: boolean; reason?: string }>('aimlChat.refreshModels');
    assert.equal(huge?.ok, false);
    assert.match(huge?.reason ?? '', /larger than 4194304 bytes/);
    assert.ok(gateway.models().some((m) => m.id === CATALOGUE_ONLY_MODEL), 'the last good list is kept');
    await control('gateway', { modelsBody: null });
  });

  it('marks a chosen model that left the catalogue, with its replacement', async () => {
    await vscode.commands.executeCommand('aimlChat.selectModel', 'claude-opus-4-1-20250805');
    const items = await vscode.commands.executeCommand<PickItem[]>('aimlChat.selectModel', undefined, { listOnly: true });
    assert.equal(items?.[0].id, 'claude-opus-4-1-20250805');
    assert.match(items?.[0].description ?? '', /no longer in the gateway's catalogue/);
    assert.match(items?.[0].detail ?? '', /Replaced by Claude Opus 4\.7 \(anthropic\/claude-opus-4\.7\)/);
  });

  it('the balance item shows the balance and updates after an answer', async () => {
    await vscode.workspace.getConfiguration('aimlChat').update('model', 'claude-haiku-4-5', vscode.ConfigurationTarget.Global);
    await gateway.refreshBalance();
    assert.deepEqual(gateway.balance(), { visible: true, text: '$(credit-card) $12.34', label: 'AIML balance $12.34' });
    gateway.setAfterAnswerIntervalMs(0);
    await control('gateway', { balanceUsd: 7.5 });
    await chat.newChat();
    await chat.send('Hello balance');
    await chat.waitIdle();
    await until(() => gateway.balance().label === 'AIML balance $7.50' || undefined, 'the balance item to update after the answer');
    const billing = (await standInRequests()).filter((r) => r.path === '/v2/billing');
    assert.ok(billing.length >= 2 && billing.every((r) => r.headers.authorization === '[redacted: matched]'));
  });

  it('warns before a request when the balance is below aimlChat.balanceWarningUsd', async () => {
    const settings = vscode.workspace.getConfiguration('aimlChat');
    await settings.update('balanceWarningUsd', 100, vscode.ConfigurationTarget.Global);
    try {
      await gateway.refreshBalance();
      assert.equal(gateway.balance().warning, undefined);
      await chat.newChat();
      await chat.send('Hello threshold');
      await chat.waitIdle();
      assert.match(gateway.balance().warning ?? '', /balance is \$7\.50, below your warning threshold of \$100\.00/);
    } finally {
      await settings.update('balanceWarningUsd', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('a 403 out of credits becomes an error that says so and links to topping up', async () => {
    await control('enqueue', { kind: 'fault', fault: 'http403' });
    await chat.newChat();
    await chat.send('Hello without credits');
    await chat.waitIdle();
    const messages = chat.currentConversation().messages;
    const failed = messages.find((m) => m.role === 'assistant' && m.error) ?? messages.at(-1);
    const error = failed?.error;
    assert.equal(error?.kind, 'permission', JSON.stringify(messages));
    assert.match(error?.message ?? '', /out of credits\. Top up your balance at https:\/\/aimlapi\.com\/app\/billing\//);
    assert.match(error?.requestId ?? '', /^inf_/, 'the error keeps the gateway\'s request id');
    assert.equal(messages[0].role, 'user', 'the prompt is kept');
  });
});
