// A blank Chromium page with the image pipeline harness (test/browser/harness/imagesHarness.ts) loaded,
// for the pipeline tests and bench/images.bench.ts. The harness is bundled in memory.
import * as esbuild from 'esbuild';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { AttachmentPayload } from '../../../src/shared/protocol';
import { useBrowser } from './hooks';

const root = resolve(__dirname, '../../..');

export type GeneratedKind = 'screenshot' | 'photo' | 'transparent';
export type Inspection = { sniffed: string | undefined; width: number; height: number; bytes: number } | { error: string };
export type Prepared = AttachmentPayload | { error: string };

interface Harness {
  generate(kind: GeneratedKind, width: number, height: number, type?: string, quality?: number): Promise<string>;
  inspect(base64: string): Promise<Inspection>;
  prepare(base64: string, name: string): Promise<Prepared>;
  time(base64: string, name: string, runs: number): Promise<{ timesMs: number[]; result: Prepared }>;
}
// page.evaluate serialises its function: the harness is reached through globalThis inside it.
type PageGlobals = { __images: Harness };

let bundle: Promise<string> | undefined;

function buildHarness(): Promise<string> {
  bundle ??= esbuild.build({
    absWorkingDir: root,
    entryPoints: ['test/browser/harness/imagesHarness.ts'],
    bundle: true,
    minify: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: ['chrome120'],
    logLevel: 'warning',
  }).then((result) => result.outputFiles[0].text);
  return bundle;
}

export class ImagesPage {
  private constructor(readonly page: Page) {}

  static async open(browser: Browser): Promise<ImagesPage> {
    const page = await browser.newPage();
    await page.addScriptTag({ content: await buildHarness() });
    await page.waitForFunction(() => '__images' in globalThis);
    return new ImagesPage(page);
  }

  generate(kind: GeneratedKind, width: number, height: number, type = 'image/png', quality?: number): Promise<string> {
    return this.page.evaluate(([k, w, h, t, q]) => (globalThis as unknown as PageGlobals).__images.generate(k, w, h, t, q), [kind, width, height, type, quality] as const);
  }

  inspect(base64: string): Promise<Inspection> {
    return this.page.evaluate((b) => (globalThis as unknown as PageGlobals).__images.inspect(b), base64);
  }

  prepare(base64: string, name: string): Promise<Prepared> {
    return this.page.evaluate(([b, n]) => (globalThis as unknown as PageGlobals).__images.prepare(b, n), [base64, name] as const);
  }

  time(base64: string, name: string, runs: number): Promise<{ timesMs: number[]; result: Prepared }> {
    return this.page.evaluate(([b, n, r]) => (globalThis as unknown as PageGlobals).__images.time(b, n, r), [base64, name, runs] as const);
  }
}

/** Mocha hooks: one Chromium and one harness page for the block (no page server). */
export function useImagesPage(): () => ImagesPage {
  const fixture = useBrowser({ server: false });
  let images: ImagesPage | undefined;
  before(async () => { images = await ImagesPage.open(fixture.browser()); });
  return () => {
    if (!images) throw new Error('no harness page: images() is there from the block\'s before hooks on');
    return images;
  };
}
