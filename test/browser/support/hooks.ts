// Mocha hooks shared by the browser test files: one headless Chromium (and, unless told otherwise,
// one loopback page server, support/pageServer.ts) for a test file or describe block, started in
// `before` and closed in `after`. The pages on top: useChatPage (chatPage.ts), useImagesPage
// (imagesPage.ts).
import type { Browser } from 'playwright-core';
import { launchChromium } from './browser';
import { startPageServer, type PageServer } from './pageServer';

export interface BrowserFixture {
  /** The Chromium of the enclosing block (from its `before` hook on). */
  browser(): Browser;
  /** The page server of the enclosing block; there is none with `server: false`. */
  server(): PageServer;
}

function started<T>(value: T | undefined, message: string): T {
  if (value === undefined) throw new Error(message);
  return value;
}

const notYet = (what: string) => `${what} is not running: use it in a test or hook of the block that registered it`;

/** Registers the before/after hooks; the getters read what they started. */
export function useBrowser(options: { server?: boolean } = {}): BrowserFixture {
  let server: PageServer | undefined;
  let browser: Browser | undefined;
  before(async function () {
    // Building the bundles and starting Chromium on a loaded machine: at least a minute.
    if (this.timeout() > 0 && this.timeout() < 60_000) this.timeout(60_000);
    if (options.server !== false) server = await startPageServer();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });
  return {
    browser: () => started(browser, notYet('Chromium')),
    server: () => started(server, options.server === false ? 'this block has no page server (useBrowser({ server: false }))' : notYet('the page server')),
  };
}
