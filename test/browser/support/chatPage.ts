// Drives the chat webview page: host messages in, posted messages out, plus conversation fixtures.
import type { Page } from 'playwright-core';
import { useBrowser, type BrowserFixture } from './hooks';
import type { Conversation, StoredMessage } from '../../../src/shared/model';
import type { HostToWebview, WebviewToHost } from '../../../src/shared/protocol';

interface PageGlobals {
  __posted: WebviewToHost[];
  /** dist/markdown.js has handed over its renderer (webview/markdown/renderer.ts). */
  __markdownLoaded: boolean;
  __violations: string[];
  __inputDelays: number[];
  __dispatch(message: unknown): void;
  __measureInit(message: unknown): Promise<{ handledMs: number; paintedMs: number }>;
}

const page$ = () => globalThis as unknown as PageGlobals;

export class ChatPage {
  constructor(readonly page: Page) {}

  /** Loads the page; by default also waits for the markdown renderer (loaded after the first paint). */
  async open(url: string, options: { markdown?: boolean } = {}): Promise<void> {
    // A renderer still loading holds the page's load event back: wait for the DOM only then.
    await this.page.goto(url, options.markdown === false ? { waitUntil: 'domcontentloaded' } : undefined);
    await this.page.waitForFunction(() => (globalThis as unknown as PageGlobals).__posted.length > 0);
    if (options.markdown !== false) await this.untilMarkdownLoaded();
  }

  async untilMarkdownLoaded(): Promise<void> {
    await this.page.waitForFunction(() => (globalThis as unknown as PageGlobals).__markdownLoaded);
  }

  async send(message: HostToWebview | Record<string, unknown>): Promise<void> {
    await this.page.evaluate((m) => (globalThis as unknown as PageGlobals).__dispatch(m), message);
  }

  posted(): Promise<WebviewToHost[]> {
    return this.page.evaluate(() => (globalThis as unknown as PageGlobals).__posted);
  }

  async postedOfType<T extends WebviewToHost['type']>(type: T): Promise<Extract<WebviewToHost, { type: T }>[]> {
    return (await this.posted()).filter((m): m is Extract<WebviewToHost, { type: T }> => m.type === type);
  }

  async clearPosted(): Promise<void> {
    await this.page.evaluate(() => { (globalThis as unknown as PageGlobals).__posted.length = 0; });
  }

  violations(): Promise<string[]> {
    return this.page.evaluate(() => (globalThis as unknown as PageGlobals).__violations);
  }

  inputDelays(): Promise<number[]> {
    return this.page.evaluate(() => (globalThis as unknown as PageGlobals).__inputDelays);
  }

  measureInit(message: HostToWebview): Promise<{ handledMs: number; paintedMs: number }> {
    return this.page.evaluate((m) => (globalThis as unknown as PageGlobals).__measureInit(m), message);
  }

  /**
   * A long conversation shows its newest turns first and the older ones after the first paint
   * (webview/stagedSnapshot.ts): polls until the last turn says there are `turns` in all.
   */
  async untilTurns(turns: number): Promise<void> {
    for (let polls = 0; polls < 200; polls++) {
      if (await this.page.getByRole('article').last().getAttribute('aria-setsize') === String(turns)) return;
      await new Promise((done) => setTimeout(done, 50));
    }
    throw new Error(`the conversation never reached ${turns} turns`);
  }

  /** Resolves after the next animation frame (streamed text renders once per frame). */
  async nextFrame(): Promise<void> {
    await this.page.evaluate(() => new Promise<void>((done) => (globalThis as unknown as { requestAnimationFrame(cb: () => void): void }).requestAnimationFrame(() => done())));
  }
}

export { page$ as pageGlobals };

export const models = [
  { id: 'claude-sonnet-4-6', label: 'Claude Sonnet 4.6', family: 'sonnet' as const, acceptsSampling: true, defaultMaxTokens: 8192 },
  { id: 'claude-opus-4-7', label: 'Claude Opus 4.7', family: 'opus' as const, acceptsSampling: false, defaultMaxTokens: 8192 },
];

let nextId = 1;
export function userMessage(text: string, extra: Partial<StoredMessage> = {}): StoredMessage {
  return { id: `u${nextId++}`, role: 'user', kind: 'prompt', content: [{ type: 'text', text }], createdAt: 1, ...extra };
}
export function assistantMessage(text: string, extra: Partial<StoredMessage> = {}): StoredMessage {
  return { id: `a${nextId++}`, role: 'assistant', content: [{ type: 'text', text }], createdAt: 1, model: 'claude-sonnet-4-6', status: 'complete', ...extra };
}

export function conversation(messages: StoredMessage[]): Conversation {
  return {
    version: 1, id: 'c1', title: 'Test', createdAt: 1, updatedAt: 1, model: 'claude-sonnet-4-6', messages,
    totals: { inputTokens: 1200, outputTokens: 345, cacheReadTokens: 0, cacheWriteTokens: 0, usdSpent: 0.0123 },
  };
}

export function initMessage(messages: StoredMessage[], overrides: Partial<Extract<HostToWebview, { type: 'init' }>> = {}): Extract<HostToWebview, { type: 'init' }> {
  return {
    type: 'init',
    conversation: conversation(messages),
    hasApiKey: true,
    model: 'claude-sonnet-4-6',
    models,
    settings: { thinkingEnabled: false, toolsAvailable: true, spendCapUsd: null },
    busy: false,
    attachmentUris: {},
    ...overrides,
  };
}

/** A long conversation: prompts and markdown answers with code, as a real one would look. */
export function longConversation(count: number): StoredMessage[] {
  const messages: StoredMessage[] = [];
  for (let i = 0; i < count; i += 2) {
    messages.push(userMessage(`Question number ${i / 2}: how do I do thing ${i}?`));
    messages.push(assistantMessage(`Answer **${i / 2}**. Here is how:\n\n1. First step\n2. Second step\n\n\`\`\`ts\nfunction thing${i}(x: number): number {\n  return x * ${i};\n}\n\`\`\`\n\nSee [the docs](https://example.com/docs/${i}) for more.`, { usage: { input_tokens: 100, output_tokens: 50 } }));
  }
  return messages.slice(0, count);
}

export interface ChatPageOptions {
  viewport?: { width: number; height: number };
  /** Runs on each fresh page before it opens: listeners, init scripts. */
  prepare?(page: Page): void | Promise<void>;
  /** false: the test opens the page itself (`chat().open(chat.server().chatUrl, …)`). */
  open?: boolean;
  /** Fails a test that left Content-Security-Policy violations in the page. */
  noCspViolations?: boolean;
}

/** The current test's ChatPage, plus the block's Chromium and page server. */
export type ChatPageFixture = (() => ChatPage) & BrowserFixture;

/**
 * Mocha hooks for a test file: one server and browser for the file, a fresh page (fresh webview
 * state) for each test. Returns a getter for the current test's ChatPage.
 */
export function useChatPage(options: ChatPageOptions = {}): ChatPageFixture {
  const fixture = useBrowser();
  let current: ChatPage | undefined;
  let pageErrors: string[] = [];
  beforeEach(async () => {
    const page = await fixture.browser().newPage({ viewport: options.viewport ?? { width: 420, height: 700 } });
    pageErrors = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    current = new ChatPage(page);
    await options.prepare?.(page);
    if (options.open !== false) await current.open(fixture.server().chatUrl);
  });
  afterEach(async () => {
    const errors = pageErrors;
    const violations = options.noCspViolations && current ? await current.violations() : [];
    await current?.page.close();
    current = undefined;
    if (errors.length) throw new Error(`uncaught errors in the page: ${errors.join('; ')}`);
    if (violations.length) throw new Error(`Content-Security-Policy violations in the page: ${violations.join('; ')}`);
  });
  const chat = (): ChatPage => {
    if (!current) throw new Error('no chat page: chat() is there in a test and its beforeEach/afterEach hooks');
    return current;
  };
  return Object.assign(chat, fixture);
}
