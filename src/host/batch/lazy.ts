// Loads the batch feature (dist/batch.js, built from ./index.ts) when it is first needed, so the
// extension bundle that every activation parses stays small and activation does no batch work:
// the first `aimlChat.batch` or `aimlChat.showBatches`, or, when an earlier session stored batches,
// a moment after activation so that they resume polling.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BatchFeature, BatchServices } from './index';

/** How long after activation stored batches resume (their polling is minutes-scale anyway). */
export const RESUME_DELAY_MS = 2_000;
const BUNDLE = 'batch.js';

export function registerLazyBatch(services: BatchServices): void {
  const { context, log } = services;
  let feature: BatchFeature | undefined;
  const load = (): BatchFeature => {
    if (!feature) {
      const started = performance.now();
      // A separate bundle beside dist/extension.js: esbuild leaves a computed require alone.
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- loading a bundle at runtime is the point
      const module = require(path.join(__dirname, BUNDLE)) as typeof import('./index');
      feature = module.activateBatch(services);
      log.debug(`batch feature loaded in ${(performance.now() - started).toFixed(1)} ms`);
    }
    return feature;
  };
  const storedIndex = vscode.Uri.joinPath(context.globalStorageUri, 'batches', 'batches.json');
  const timer = setTimeout(() => {
    void vscode.workspace.fs.stat(storedIndex).then(() => load(), () => undefined).then(undefined, (error: Error) => log.error(`resuming batches failed: ${error.message}`));
  }, RESUME_DELAY_MS);
  context.subscriptions.push(
    { dispose: () => clearTimeout(timer) },
    vscode.commands.registerCommand('aimlChat.batch', (clicked?: unknown, selected?: unknown, options?: unknown) => load().batch(clicked, selected, options)),
    vscode.commands.registerCommand('aimlChat.showBatches', (args?: unknown) => load().showBatches(args)),
  );
}
