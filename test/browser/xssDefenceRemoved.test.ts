// The XSS suite's proof that it can fail (docs/SECURITY.md): the same vectors, through a webview
// built here with one defence taken out (support/pageServer.ts `WeakenedDefences`; the product
// build never sees it), one fresh page per vector so every finding is attributed to its vector.
// Counted per vector: script executions (trapped calls and dialogs), requests leaving the page's
// origin, CSP violations and dangerous leftovers in the DOM; any one of them fails xssSuite.
// By default every 8th vector runs (17 of them: the suite stays affordable on a shared machine);
// XSS_ALL_VECTORS=1 runs them all.
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { allVectors } from './fixtures/xssVectors';
import { assistantMessage, ChatPage, initMessage } from './support/chatPage';
import { startPageServer, type PageServer, type WeakenedDefences } from './support/pageServer';
import { useBrowser } from './support/hooks';
import { inspectTranscript, provoke, watchForAttacks } from './support/xssProbes';

const vectors = process.env.XSS_ALL_VECTORS === '1' ? allVectors : allVectors.filter((_, i) => i % 8 === 0);

interface Tally { vectors: number; executed: number; remote: number; violations: number; dom: number; failing: number; examples: string[] }

interface VectorFindings { executed: boolean; remote: boolean; violations: boolean; dom: boolean }

/** One vector on a fresh page: what the xssSuite probes see. */
async function probeVector(browser: Browser, server: PageServer, vector: string): Promise<VectorFindings> {
  const page = await browser.newPage({ viewport: { width: 420, height: 700 } });
  try {
    const { remote, dialogs } = await watchForAttacks(page, server.origin);
    const chat = new ChatPage(page);
    await chat.open(server.chatUrl);
    // A vector that navigates the page away (meta refresh, a form) leaves nothing to evaluate: the
    // navigation itself is the finding (xssSuite dies with "Execution context was destroyed").
    let navigatedAway = false;
    page.on('framenavigated', (frame) => { if (frame === page.mainFrame()) navigatedAway = true; });
    const found = await (async () => {
      await chat.send(initMessage([assistantMessage(`Before\n\n${vector}\n\nAfter`, { id: 'answer' })]));
      await page.waitForFunction(() => (globalThis as unknown as { document: { querySelector(s: string): unknown } }).document.querySelector('[data-message-id="answer"]') !== null, undefined, { timeout: 10_000 });
      await page.evaluate(provoke, 250);
      return {
        executions: await page.evaluate(() => (globalThis as unknown as { __executions: string[] }).__executions),
        violations: await chat.violations(),
        dom: await page.evaluate(inspectTranscript),
      };
    })().catch(() => undefined);
    return {
      executed: dialogs.length > 0 || (found?.executions.length ?? 0) > 0,
      remote: remote.length > 0,
      violations: (found?.violations.length ?? 0) > 0,
      dom: (found?.dom.length ?? 0) > 0 || navigatedAway || !found,
    };
  } finally {
    await page.close();
  }
}

async function runVectors(browser: Browser, weakened: WeakenedDefences): Promise<Tally> {
  const server = await startPageServer(weakened);
  const tally: Tally = { vectors: vectors.length, executed: 0, remote: 0, violations: 0, dom: 0, failing: 0, examples: [] };
  try {
    // A few pages at a time: most of a probe is waiting (page load, the provoke pause).
    let next = 0;
    const worker = async () => {
      for (let index = next++; index < vectors.length; index = next++) {
        const flags = await probeVector(browser, server, vectors[index]);
        for (const key of ['executed', 'remote', 'violations', 'dom'] as const) if (flags[key]) tally[key] += 1;
        if (Object.values(flags).some(Boolean)) tally.failing += 1;
        if (tally.examples.length < 3 && (flags.executed || flags.remote)) tally.examples.push(vectors[index].slice(0, 60));
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
  } finally {
    await server.close();
  }
  console.log(`      ${JSON.stringify(weakened)}: of ${tally.vectors} vectors ${tally.executed} executed script, ${tally.remote} made a remote request, ${tally.violations} hit the CSP, ${tally.dom} left dangerous DOM or navigated away; ${tally.failing} would fail the suite${tally.examples.length ? `; e.g. ${tally.examples.map((e) => JSON.stringify(e)).join(', ')}` : ''}`);
  return tally;
}

describe('XSS suite without its defences: the same probes see the attacks', function () {
  this.timeout(1_800_000);
  // One Chromium; each weakened build gets a page server of its own (runVectors).
  const { browser } = useBrowser({ server: false });

  it('without the sanitising layer (DOMPurify bypassed, raw HTML on), the CSP reports the vectors and the suite fails', async () => {
    const tally = await runVectors(browser(), { bypassSanitizer: true, markdownHtml: true });
    assert.ok(tally.violations > 0 && tally.dom > 0, 'CSP violations and dangerous DOM are counted');
  });

  it('without the sanitising layer and without the CSP, vectors execute script and load remote resources', async () => {
    const tally = await runVectors(browser(), { bypassSanitizer: true, markdownHtml: true, csp: false });
    assert.ok(tally.executed > 0, 'script executions are counted');
    assert.ok(tally.remote > 0, 'remote requests are counted');
  });

  it('with the CSP removed alone, the sanitiser still stops every vector', async () => {
    const tally = await runVectors(browser(), { csp: false });
    assert.equal(tally.failing, 0);
  });
});
