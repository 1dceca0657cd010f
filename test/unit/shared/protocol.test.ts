// The webview protocol is validated on arrival in both directions: every message type with every
// optional field filled must arrive exactly as sent (a schema that lost a field or a literal would
// drop data or refuse a real message), and each limit must refuse the message that breaks it.
import * as assert from 'node:assert/strict';
import { parseHostMessage, parseWebviewMessage, type HostToWebview, type WebviewToHost } from '../../../src/shared/protocol';
import { fullConversation, fullErrorInfo, fullMessage, fullToolCall, contextChip } from './examples';

const ok = <T>(value: T) => ({ ok: true, value });

const hostMessages: HostToWebview[] = [
  {
    type: 'init',
    conversation: fullConversation(),
    hasApiKey: true,
    model: 'claude-sonnet-4-6',
    models: [{ id: 'claude-opus-4-7', label: 'Claude Opus 4.7', family: 'opus', acceptsSampling: false, defaultMaxTokens: 32000 }],
    settings: { thinkingEnabled: true, toolsAvailable: false, toolsNotice: 'Restricted Mode', spendCapUsd: 2.5 },
    busy: false,
    attachmentUris: { img1: 'vscode-webview://x/img1.png' },
  },
  { type: 'conversation', conversation: fullConversation(), attachmentUris: {} },
  { type: 'state', hasApiKey: false, model: 'claude-haiku-4-5', busy: true, settings: { thinkingEnabled: false, toolsAvailable: true, spendCapUsd: null } },
  { type: 'messageAdded', message: fullMessage(), attachmentUris: { a: 'b' } },
  {
    type: 'delta',
    messageId: 'm1',
    ops: [
      { op: 'start', index: 0, block: { type: 'text', text: '' } },
      { op: 'append', index: 0, text: 'Hel' },
      { op: 'finish', index: 1, block: { type: 'tool_use', id: 'tu1', name: 'read_file', input: { path: 'a.ts' } } },
      { op: 'finish', index: 0, block: { type: 'text', text: '' }, elided: { length: 600, hash: 4_000_000_000 } },
    ],
  },
  {
    type: 'messageUpdated',
    messageId: 'm1',
    status: 'error',
    stopReason: 'end_turn',
    usage: { input_tokens: 10, output_tokens: 5, cache_creation_input_tokens: 1, cache_read_input_tokens: 2 },
    usdSpent: 0.0042,
    requestId: 'req-1',
    error: fullErrorInfo(),
    content: [{ type: 'text', text: 'done' }],
    elided: [{ index: 0, length: 900, hash: 7 }],
  },
  { type: 'toolCall', messageId: 'm1', call: fullToolCall() },
  { type: 'totals', totals: { inputTokens: 1, outputTokens: 2, cacheReadTokens: 3, cacheWriteTokens: 4, usdSpent: 0.5 } },
  { type: 'error', error: fullErrorInfo(), prompt: 'lost prompt' },
  { type: 'clearError' },
  { type: 'addAttachment', name: 'a.png', mediaType: 'image/png', data: 'iVBOR' },
  { type: 'focusComposer', text: 'hi' },
  { type: 'restorePrompt', text: 'my prompt' },
  { type: 'contextOptions', requestId: 7, options: [{ kind: 'file', label: 'a.ts', detail: 'src', path: 'src/a.ts' }] },
  { type: 'contextChip', chip: contextChip() },
  { type: 'contextError', label: 'secret.env', message: 'refused' },
  { type: 'contextMeter', meter: { usedTokens: 10, windowTokens: 200000, compactAtPercent: 80 } },
  { type: 'instructions', files: [{ label: 'AGENTS.md', tokens: 120, warning: 'shortened' }] },
  { type: 'checkpoints', turnIds: ['t1', 't2'] },
];

const webviewMessages: WebviewToHost[] = [
  { type: 'ready' },
  {
    type: 'send',
    text: 'look',
    attachments: [{ name: 'a.png', mediaType: 'image/webp', data: 'AAAA', width: 3, height: 4 }],
    context: [contextChip()],
    mode: 'plan',
  },
  { type: 'stop' },
  { type: 'retry' },
  { type: 'newChat' },
  { type: 'setApiKey' },
  { type: 'selectModel', model: 'claude-opus-4-7' },
  { type: 'pickImage' },
  { type: 'attachImageUris', uris: ['file:///a.png'] },
  { type: 'showHistory' },
  { type: 'copy', text: 'x' },
  { type: 'insertAtCursor', code: 'let a;' },
  { type: 'openLink', href: 'https://example.com' },
  { type: 'toolDecision', toolUseId: 'tu1', decision: 'apply', acceptedHunks: [0, 2] },
  { type: 'showDiff', toolUseId: 'tu1' },
  { type: 'log', level: 'warn', message: 'w' },
  { type: 'contextQuery', requestId: 3, query: 'src/' },
  { type: 'contextPick', option: { kind: 'folder', label: 'src', path: 'src' } },
  { type: 'restoreCheckpoint', turnId: 't1' },
  { type: 'resendMessage', messageId: 'm1' },
];

describe('webview protocol schemas', () => {
  for (const message of hostMessages) {
    it(`host → webview ${message.type} arrives exactly as sent`, () => {
      assert.deepEqual(parseHostMessage(structuredClone(message)), ok(message));
      assert.equal(parseWebviewMessage(structuredClone(message)).ok, false, 'a host message is not a webview message');
    });
  }
  for (const message of webviewMessages) {
    it(`webview → host ${message.type} arrives exactly as sent`, () => {
      assert.deepEqual(parseWebviewMessage(structuredClone(message)), ok(message));
      assert.equal(parseHostMessage(structuredClone(message)).ok, false, 'a webview message is not a host message');
    });
  }

  it('accepts each decision, log level and every delta op with its own fields', () => {
    for (const decision of ['allow', 'deny', 'apply', 'discard'] as const) assert.ok(parseWebviewMessage({ type: 'toolDecision', toolUseId: 't', decision }).ok, decision);
    for (const level of ['info', 'warn', 'error'] as const) assert.ok(parseWebviewMessage({ type: 'log', level, message: '' }).ok, level);
    assert.equal(parseWebviewMessage({ type: 'toolDecision', toolUseId: 't', decision: 'maybe' }).ok, false);
    assert.equal(parseWebviewMessage({ type: 'log', level: 'debug', message: '' }).ok, false);
    assert.equal(parseHostMessage({ type: 'delta', messageId: 'm', ops: [{ op: 'append', index: 0 }] }).ok, false, 'append needs text');
    assert.equal(parseHostMessage({ type: 'delta', messageId: 'm', ops: [{ op: 'start', index: 0 }] }).ok, false, 'start needs a block');
    assert.equal(parseHostMessage({ type: 'delta', messageId: 'm', ops: [{ op: 'finish', index: 0.5, block: { type: 'text', text: '' } }] }).ok, false, 'an index is an integer');
  });

  it('holds every size limit of a message', () => {
    const image = { name: 'a', mediaType: 'image/png', data: '', width: 1, height: 1 };
    const send = (extra: object) => parseWebviewMessage({ type: 'send', text: '', attachments: [], ...extra });
    assert.ok(send({ attachments: Array(20).fill(image) }).ok);
    assert.deepEqual(send({ attachments: Array(21).fill(image) }), { ok: false, error: 'attachments: Too big: expected array to have <=20 items' });
    assert.deepEqual(send({ attachments: [{ ...image, width: 0 }] }), { ok: false, error: 'attachments.0.width: Too small: expected number to be >0' });
    assert.deepEqual(send({ attachments: [{ ...image, height: 0 }] }), { ok: false, error: 'attachments.0.height: Too small: expected number to be >0' });
    assert.deepEqual(send({ attachments: [{ ...image, mediaType: 'image/bmp' }] }).ok, false);
    assert.ok(send({ context: Array(50).fill(contextChip()) }).ok);
    assert.deepEqual(send({ context: Array(51).fill(contextChip()) }), { ok: false, error: 'context: Too big: expected array to have <=50 items' });
    assert.deepEqual(send({ mode: 'yolo' }).ok, false);
    assert.ok(parseWebviewMessage({ type: 'attachImageUris', uris: Array(20).fill('u') }).ok);
    assert.deepEqual(parseWebviewMessage({ type: 'attachImageUris', uris: Array(21).fill('u') }), { ok: false, error: 'uris: Too big: expected array to have <=20 items' });
    assert.ok(parseWebviewMessage({ type: 'contextQuery', requestId: 1, query: 'q'.repeat(500) }).ok);
    assert.deepEqual(parseWebviewMessage({ type: 'contextQuery', requestId: 1, query: 'q'.repeat(501) }), { ok: false, error: 'query: Too big: expected string to have <=500 characters' });
    assert.deepEqual(parseWebviewMessage({ type: 'contextQuery', requestId: 1.5, query: '' }).ok, false);
    const option = { kind: 'file', label: 'a' };
    assert.ok(parseHostMessage({ type: 'contextOptions', requestId: 1, options: Array(200).fill(option) }).ok);
    assert.deepEqual(parseHostMessage({ type: 'contextOptions', requestId: 1, options: Array(201).fill(option) }), { ok: false, error: 'options: Too big: expected array to have <=200 items' });
    assert.ok(parseHostMessage({ type: 'messageUpdated', messageId: 'm', requestId: 'r'.repeat(200) }).ok);
    assert.deepEqual(parseHostMessage({ type: 'messageUpdated', messageId: 'm', requestId: 'r'.repeat(201) }), { ok: false, error: 'requestId: Too big: expected string to have <=200 characters' });
    assert.ok(parseHostMessage({ type: 'messageUpdated', messageId: 'm', stopReason: null }).ok, 'a stop reason may be null');
  });

  it('names the path of the first problem, or (root) for a value that is not a message', () => {
    assert.deepEqual(parseHostMessage('text'), { ok: false, error: '(root): Invalid input: expected object, received string' });
    assert.deepEqual(parseWebviewMessage({ type: 'copy' }), { ok: false, error: 'text: Invalid input: expected string, received undefined' });
    assert.deepEqual(parseHostMessage({ type: 'toolCall', messageId: 'm', call: { ...fullToolCall(), status: 'exploded' } }).ok, false);
  });
});
