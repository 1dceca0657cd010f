// Two bundles: the extension host (Node, CommonJS, `vscode` external) and the chat webview
// (browser IIFE). Production builds are minified without source maps; development builds keep
// linked source maps so stack traces point at the TypeScript.
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  legalComments: production ? 'none' : 'inline',
  logLevel: 'warning',
  define: { 'process.env.NODE_ENV': JSON.stringify(production ? 'production' : 'development') },
};

const hostOptions = {
  ...common,
  // The batch feature and the tool runner are bundles of their own, loaded on first use
  // (src/host/batch/lazy.ts, src/host/tools/lazyRunner.ts).
  entryPoints: { extension: 'src/extension.ts', batch: 'src/host/batch/index.ts', tools: 'src/host/tools/runnerBundle.ts' },
  outdir: 'dist',
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode'],
};

const webviewOptions = {
  ...common,
  // The markdown renderer is a second bundle, loaded after the view's first paint (webview/markdown/renderer.ts).
  entryPoints: { webview: 'webview/main.ts', markdown: 'webview/markdownEntry.ts' },
  outdir: 'dist',
  platform: 'browser',
  format: 'iife',
  target: ['chrome120'],
};

function copyStaticAssets() {
  // Codicons are served from the extension's own folder: the webview never loads anything remote.
  mkdirSync('dist/codicons', { recursive: true });
  for (const file of ['codicon.css', 'codicon.ttf']) {
    cpSync(`node_modules/@vscode/codicons/dist/${file}`, `dist/codicons/${file}`);
  }
}

copyStaticAssets();
if (watch) {
  const contexts = await Promise.all([esbuild.context(hostOptions), esbuild.context(webviewOptions)]);
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('[esbuild] watching…');
} else {
  const results = await Promise.all([esbuild.build({ ...hostOptions, metafile: true }), esbuild.build({ ...webviewOptions, metafile: true })]);
  for (const r of results) {
    for (const [file, info] of Object.entries(r.metafile.outputs)) {
      if (file.endsWith('.js')) console.log(`[esbuild] ${file} ${(info.bytes / 1024).toFixed(1)} KiB`);
    }
  }
}
