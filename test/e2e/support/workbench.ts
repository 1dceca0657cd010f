// End-to-end harness: the local stand-in, code-server with the packaged extension (dist/aiml-chat.vsix,
// built by scripts/run-e2e.mjs) and the sample workspace, and headless Chromium driving the real
// workbench as a user would. One workbench per suite (useWorkbench registers its hooks):
//
//   let wb: Workbench;
//   useWorkbench({}, async (started) => { wb = started; await setApiKeyThroughUi(wb.page, 'test-key'); });
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startStandIn } from '../../support/standin';
import type { StandIn, StandInOptions } from '../../support/standin';

const ROOT = path.resolve(__dirname, '..', '..', '..');

export interface Profile { base: string; userDataDir: string; extensionsDir: string; workspace: string }

export interface Workbench {
  page: Page;
  browser: Browser;
  standIn: StandIn;
  profile: Profile;
  url: string;
  /** Closes the browser, code-server and the stand-in, and removes the profile. */
  close(): Promise<void>;
  /** For afterEach: a screenshot into test-results/ when the test just failed. */
  screenshotOnFailure(ctx: Mocha.Context): Promise<void>;
}

interface HostLib {
  makeProfile(prefix: string): Profile;
  installExtensions(profile: Profile, vsix: string[]): void;
  writeMachineSettings(dir: string, settings: Record<string, unknown>): void;
  writeUserSettings(dir: string, extra?: Record<string, unknown>): void;
  startCodeServer(profile: Profile, options: { env?: Record<string, string> }): Promise<{ url: string; output(): string }>;
  launchBrowser(): Promise<Browser>;
  cleanup(): Promise<void>;
  onCleanup(fn: () => unknown): void;
}

// The same plumbing as the integration runner (plain ESM, shared with the scripts).
// Function() keeps the import() a real dynamic import instead of a transpiled require().
const importEsm = new Function('p', 'return import(p)') as (p: string) => Promise<HostLib>;

/**
 * `workspaceFiles`: extra files (path relative to the workspace → text) written before code-server starts.
 * `machineSettings`: machine-scoped settings (the user's settings file ignores them in code-server).
 * `beforeStart`: prepares the profile (e.g. stored conversations) before code-server starts.
 */
export interface WorkbenchOptions {
  standIn?: StandInOptions;
  /** A stand-in already running elsewhere (the workbench benchmark's child process); `standIn` of the result then only has its url. */
  standInUrl?: string;
  userSettings?: Record<string, unknown>;
  machineSettings?: Record<string, unknown>;
  workspaceFiles?: Record<string, string>;
  beforeStart?: (profile: Profile) => Promise<void>;
}

/**
 * The suite's workbench, as mocha hooks: started in `before` (within `startTimeoutMs`: code-server,
 * the extension and Chromium on a loaded machine), handed to `ready` (which keeps it and prepares
 * it, e.g. sets the key through the UI), a screenshot after each failed test, closed in `after`.
 */
export function useWorkbench(options: WorkbenchOptions & { startTimeoutMs?: number }, ready: (wb: Workbench) => void | Promise<void>): void {
  const { startTimeoutMs = 180_000, ...startOptions } = options;
  let wb: Workbench | undefined;
  before(async function () {
    this.timeout(startTimeoutMs);
    wb = await startWorkbench(startOptions);
    await ready(wb);
  });
  after(async () => wb?.close());
  afterEach(async function () {
    await wb?.screenshotOnFailure(this);
  });
}

/** A stand-in this process does not run: its url, and a clear error for what only its owner can do. */
function elsewhere(url: string): StandIn {
  const owned = () => { throw new Error(`the stand-in at ${url} runs in another process: script it through its owner`); };
  return { url, port: Number(new URL(url).port), requests: [], close: async () => undefined, enqueue: owned, setGateway: owned, reset: owned };
}

export async function startWorkbench(options: WorkbenchOptions = {}): Promise<Workbench> {
  const vsix = path.join(ROOT, 'dist', 'aiml-chat.vsix');
  if (!existsSync(vsix)) throw new Error('dist/aiml-chat.vsix is missing: run `npm run test:e2e` (it packages first)');
  const host = await importEsm(path.join(ROOT, 'scripts', 'lib', 'host.mjs'));
  try {
    const profile = host.makeProfile('aiml-e2e-');
    host.installExtensions(profile, [vsix]);
    for (const [file, text] of Object.entries(options.workspaceFiles ?? {})) {
      mkdirSync(path.dirname(path.join(profile.workspace, file)), { recursive: true });
      writeFileSync(path.join(profile.workspace, file), text);
    }
    await options.beforeStart?.(profile);
    const standIn = options.standInUrl ? elsewhere(options.standInUrl) : await startStandIn({ host: '127.0.0.1', log: () => {}, ...options.standIn });
    host.onCleanup(() => standIn.close());
    host.writeMachineSettings(profile.userDataDir, { ...options.machineSettings, 'aimlChat.baseUrl': standIn.url });
    host.writeUserSettings(profile.userDataDir, options.userSettings);
    const server = await host.startCodeServer(profile, { env: { AIML_STANDIN_URL: standIn.url, AIML_CHAT_TEST_MODE: '1' } });
    const browser = await host.launchBrowser();
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    // On a loaded machine the page's 'load' event can take longer than goto's 30 s default; the
    // waits below decide when the workbench is usable.
    await page.goto(server.url, { waitUntil: 'domcontentloaded', timeout: 90_000 });
    // The workbench is interactive once the activity bar and status bar are rendered.
    await page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 60_000 });
    await page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: 60_000 });
    return {
      page, browser, standIn, profile, url: server.url,
      close: () => host.cleanup(),
      async screenshotOnFailure(ctx) {
        if (ctx.currentTest?.state !== 'failed') return;
        const dir = path.join(ROOT, 'test-results');
        mkdirSync(dir, { recursive: true });
        const name = ctx.currentTest.fullTitle().replace(/[^\w-]+/g, '-').slice(0, 100);
        await page.screenshot({ path: path.join(dir, `e2e-${name}.png`) }).catch(() => undefined);
      },
    };
  } catch (err) {
    await host.cleanup();
    throw err;
  }
}
