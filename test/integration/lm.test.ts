// The `aiml` language-model provider inside a real extension host: this suite is another
// extension using vscode.lm, as any extension (or VS Code's Chat) would, against the stand-in.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { SpendLedger } from '../../src/core/spend/spendLedger';
import type { ChatTestApi } from '../../src/host/chatFeature';
import { messagesRequestsSince, standInRequests } from './support/standIn';

const { LanguageModelChatMessage: Message, LanguageModelTextPart: TextPart, LanguageModelToolCallPart: ToolCallPart, LanguageModelToolResultPart: ToolResultPart } = vscode;

async function model(id: string): Promise<vscode.LanguageModelChat> {
  const [found] = await vscode.lm.selectChatModels({ vendor: 'aiml', id });
  assert.ok(found, `model ${id} is offered`);
  return found;
}

async function collect(response: vscode.LanguageModelChatResponse): Promise<{ text: string; textParts: number; calls: vscode.LanguageModelToolCallPart[] }> {
  let text = '';
  let textParts = 0;
  const calls: vscode.LanguageModelToolCallPart[] = [];
  for await (const part of response.stream) {
    if (part instanceof TextPart) { text += part.value; textParts++; }
    if (part instanceof ToolCallPart) calls.push(part);
  }
  return { text, textParts, calls };
}

describe('language-model provider (vscode.lm + stand-in)', function () {
  this.timeout(60_000);
  let spend: SpendLedger;

  before(async () => {
    const extension = vscode.extensions.getExtension<{ spend: SpendLedger }>('aiml-chat.aiml-chat');
    assert.ok(extension, 'the extension is installed');
    spend = (await extension.activate()).spend;
    await vscode.commands.executeCommand('aimlChat.setApiKey', 'test-key');
  });

  it('offers the Claude models under the vendor aiml', async () => {
    const models = await vscode.lm.selectChatModels({ vendor: 'aiml' });
    const ids = models.map((m) => m.id);
    for (const id of ['claude-sonnet-4-6', 'claude-opus-4-7', 'claude-haiku-4-5']) assert.ok(ids.includes(id), `${id} in ${ids.join(', ')}`);
    const sonnet = models.find((m) => m.id === 'claude-sonnet-4-6')!;
    assert.equal(sonnet.vendor, 'aiml');
    assert.equal(sonnet.name, 'Claude Sonnet 4.6');
    assert.equal(sonnet.family, 'claude-sonnet-4.6');
    assert.ok(sonnet.maxInputTokens > 100_000, String(sonnet.maxInputTokens));
    assert.equal((await vscode.lm.selectChatModels({ vendor: 'aiml', family: 'claude-opus-4.7' }))[0]?.id, 'claude-opus-4-7');
  });

  it('lists a model of the gateway catalogue with its limits, and keeps the built-in ids of the others', async () => {
    // The catalogue is read after activation (GET /models on the stand-in); the provider then
    // tells VS Code its list changed. Asking again makes this test independent of the cache.
    await vscode.commands.executeCommand('aimlChat.refreshModels');
    const started = Date.now();
    let found: vscode.LanguageModelChat | undefined;
    while (!found && Date.now() - started < 15_000) {
      [found] = await vscode.lm.selectChatModels({ vendor: 'aiml', id: 'anthropic/claude-sonnet-4.7' });
      if (!found) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.ok(found, 'the catalogue-only model anthropic/claude-sonnet-4.7 is offered');
    assert.equal(found.name, 'Claude Sonnet 4.7');
    assert.equal(found.family, 'claude-sonnet-4.7');
    // The stand-in's catalogue: a 1M-token window and 32K output; the input limit leaves room for the answer.
    assert.equal(found.maxInputTokens, 1_000_000 - Math.min(vscode.workspace.getConfiguration('aimlChat').get<number>('maxTokens')!, 32_000));
    const models = await vscode.lm.selectChatModels({ vendor: 'aiml' });
    const opus = models.find((m) => m.id === 'claude-opus-4-7');
    assert.ok(opus, `Opus 4.7 keeps its built-in id (${models.map((m) => m.id).join(', ')})`);
    assert.ok(opus.maxInputTokens > 200_000, `the catalogue's 1M window (${opus.maxInputTokens})`);
    assert.ok(!models.some((m) => m.id.startsWith('openai/')), 'other vendors are not offered');

    const before = (await standInRequests()).length;
    const { text } = await collect(await found.sendRequest([Message.User('Catalogue model hello')], {}, new vscode.CancellationTokenSource().token));
    assert.match(text, /Catalogue model hello/);
    const [request] = await messagesRequestsSince(before);
    assert.equal((request.body as { model: string }).model, 'anthropic/claude-sonnet-4.7');
  });

  it('streams an answer from the stand-in and records its cost', async () => {
    const before = (await standInRequests()).length;
    const spentBefore = spend.totals('languageModel');
    const sonnet = await model('claude-sonnet-4-6');
    const response = await sonnet.sendRequest([Message.User('Language model hello from the extension host')], {}, new vscode.CancellationTokenSource().token);
    const { text, textParts } = await collect(response);
    assert.match(text, /Language model hello from the extension host/);
    assert.ok(textParts > 1, `streamed in ${textParts} parts`);

    const [request] = await messagesRequestsSince(before);
    assert.equal(request.authMatched, true);
    const body = request.body as { model: string; stream: boolean; messages: unknown[] };
    assert.equal(body.model, 'claude-sonnet-4-6');
    assert.equal(body.stream, true);
    const spent = spend.totals('languageModel');
    assert.equal(spent.requests, spentBefore.requests + 1);
    assert.ok(spent.usd > spentBefore.usd, 'the gateway-reported cost was added');
    assert.ok(spent.outputTokens > spentBefore.outputTokens);
  });

  it('returns a tool call part and takes its result back', async () => {
    const sonnet = await model('claude-sonnet-4-6');
    const tools: vscode.LanguageModelChatTool[] = [{
      name: 'lookup_notes', description: 'Looks up notes by topic',
      inputSchema: { type: 'object', properties: { topic: { type: 'string' } }, required: ['topic'] },
    }];
    const prompt = Message.User('[[tool:lookup_notes {"topic":"providers"}]] find my notes');
    const first = await collect(await sonnet.sendRequest([prompt], { tools }, new vscode.CancellationTokenSource().token));
    assert.equal(first.calls.length, 1, `one tool call (text: ${first.text})`);
    assert.equal(first.calls[0].name, 'lookup_notes');
    assert.deepEqual(first.calls[0].input, { topic: 'providers' });

    const before = (await standInRequests()).length;
    const second = await collect(await sonnet.sendRequest([
      prompt,
      Message.Assistant([new TextPart(first.text), first.calls[0]].filter((p) => !(p instanceof TextPart) || p.value)),
      Message.User([new ToolResultPart(first.calls[0].callId, [new TextPart('NOTES-ABOUT-PROVIDERS-7')])]),
    ], { tools }, new vscode.CancellationTokenSource().token));
    assert.match(second.text, /NOTES-ABOUT-PROVIDERS-7/);
    const [request] = await messagesRequestsSince(before);
    const messages = (request.body as { messages: { role: string; content: { type: string; tool_use_id?: string }[] }[] }).messages;
    assert.deepEqual(messages.map((m) => m.role), ['user', 'assistant', 'user']);
    assert.equal(messages[2].content[0].type, 'tool_result');
    assert.equal(messages[2].content[0].tool_use_id, first.calls[0].callId);
  });

  it('stops streaming when the request is cancelled', async () => {
    const sonnet = await model('claude-sonnet-4-6');
    const cancellation = new vscode.CancellationTokenSource();
    const response = await sonnet.sendRequest([Message.User('[[fault:slowTrickle]] a long story please')], {}, cancellation.token);
    let text = '';
    const started = Date.now();
    try {
      for await (const part of response.stream) {
        if (part instanceof TextPart) text += part.value;
        if (text.length > 0) cancellation.cancel();
      }
    } catch (error) {
      // VS Code may end the stream of a cancelled request with a cancellation error.
      assert.match(String(error), /cancel/i);
    }
    assert.ok(text.length > 0, 'some text arrived before the cancel');
    assert.ok(Date.now() - started < 8_000, `the stream ended soon after the cancel (${Date.now() - started} ms)`);
    // The slow trickle would run for many seconds: the connection was closed, not drained.
    assert.ok(text.length < 400, `stopped early (${text.length} chars)`);
  });

  it('sends Claude Opus 4.7 no sampling parameters, while Sonnet gets the caller\'s temperature', async () => {
    const before = (await standInRequests()).length;
    const options: vscode.LanguageModelChatRequestOptions = { modelOptions: { temperature: 0.4 } };
    const opus = await collect(await (await model('claude-opus-4-7')).sendRequest([Message.User('Opus shape check')], options, new vscode.CancellationTokenSource().token));
    const sonnet = await collect(await (await model('claude-sonnet-4-6')).sendRequest([Message.User('Sonnet shape check')], options, new vscode.CancellationTokenSource().token));
    assert.match(opus.text, /Opus shape check/, 'the stand-in accepted the Opus 4.7 request');
    assert.match(sonnet.text, /Sonnet shape check/);
    const [opusRequest, sonnetRequest] = await messagesRequestsSince(before);
    const opusBody = opusRequest.body as Record<string, unknown>;
    assert.equal(opusBody.model, 'claude-opus-4-7');
    for (const key of ['temperature', 'top_p', 'top_k']) assert.equal(key in opusBody, false, `${key} not sent to Opus 4.7`);
    assert.ok(typeof opusBody.max_tokens === 'number' && opusBody.max_tokens <= 128_000);
    assert.equal((sonnetRequest.body as Record<string, unknown>).temperature, 0.4);
  });

  it('counts the chat view\'s answers in the same spend ledger', async () => {
    const chat = (vscode.extensions.getExtension<{ chat: ChatTestApi }>('aiml-chat.aiml-chat')!.exports).chat;
    const before = spend.totals('chat');
    await chat.newChat();
    await chat.send('Ledger hello from the chat view');
    await chat.waitIdle();
    const after = spend.totals('chat');
    assert.equal(after.requests, before.requests + 1);
    assert.ok(after.usd > before.usd && after.outputTokens > before.outputTokens, JSON.stringify(after));
  });

  it('counts tokens with an estimate', async () => {
    const sonnet = await model('claude-sonnet-4-6');
    const count = await sonnet.countTokens('x'.repeat(700));
    assert.ok(count >= 150 && count <= 250, String(count));
    assert.ok(await sonnet.countTokens(Message.User('hello there')) > 0);
  });

  it('explains how to set a key when none is set', async () => {
    await vscode.commands.executeCommand('aimlChat.clearApiKey');
    try {
      const sonnet = await model('claude-sonnet-4-6');
      await assert.rejects(async () => collect(await sonnet.sendRequest([Message.User('no key')], {}, new vscode.CancellationTokenSource().token)),
        (error: Error) => /AIML Chat: Set API Key/.test(error.message));
    } finally {
      await vscode.commands.executeCommand('aimlChat.setApiKey', 'test-key');
    }
  });

  it('sends a changed key from the next request on (the key read is kept until it changes)', async () => {
    const sonnet = await model('claude-sonnet-4-6');
    const ask = async (prompt: string) => {
      const since = (await standInRequests()).length;
      const outcome = await collect(await sonnet.sendRequest([Message.User(prompt)], {}, new vscode.CancellationTokenSource().token)).then(() => 'answered', (error: Error) => error.message);
      const [request] = await messagesRequestsSince(since);
      return { outcome, authMatched: request?.authMatched };
    };
    assert.deepEqual(await ask('with the right key'), { outcome: 'answered', authMatched: true });
    try {
      await vscode.commands.executeCommand('aimlChat.setApiKey', 'not-the-stand-in-key');
      const wrong = await ask('with a wrong key');
      assert.equal(wrong.authMatched, false, 'the new (wrong) key was sent, not the one read before');
      assert.notEqual(wrong.outcome, 'answered');
    } finally {
      await vscode.commands.executeCommand('aimlChat.setApiKey', 'test-key');
    }
    assert.deepEqual(await ask('with the right key again'), { outcome: 'answered', authMatched: true });
  });
});
