// Builds the webview bundles and serves them from a loopback HTTP server under the same strict
// Content-Security-Policy the extension host uses, with a fake acquireVsCodeApi that records what
// the webview posts. Shared by the browser tests and bench/render.bench.ts.
import * as esbuild from 'esbuild';
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';

const root = resolve(__dirname, '../../..');
const outDir = join(root, 'out', 'browser-test');
const nonce = 'dGVzdC1ub25jZS0xMjM0NQ==';

let built: Promise<void> | undefined;

/** Bundles the product webview and the renderer harness once per process (production settings). */
export function buildBundles(): Promise<void> {
  built ??= esbuild.build({
    absWorkingDir: root,
    entryPoints: { webview: 'webview/main.ts', markdown: 'webview/markdownEntry.ts', rendererHarness: 'test/browser/harness/rendererHarness.ts' },
    outdir: outDir,
    bundle: true,
    minify: true,
    format: 'iife',
    platform: 'browser',
    target: ['chrome120'],
    logLevel: 'warning',
    define: { 'process.env.NODE_ENV': '"production"' },
  }).then(() => undefined);
  return built;
}

/**
 * A weakened webview for the "fails without its defence" proofs of the XSS suite: built only
 * here, never by the product build. `bypassSanitizer` swaps DOMPurify for a pass-through (the
 * HTML parsed into a template as is); `markdownHtml` turns markdown-it's `html` option on; `csp:
 * false` serves the page without its Content-Security-Policy.
 */
export interface WeakenedDefences { bypassSanitizer?: boolean; markdownHtml?: boolean; csp?: boolean }

const passThroughSanitizer = `export default {
  addHook() {},
  sanitize(html) { const template = document.createElement('template'); template.innerHTML = html; return template.content; },
};`;

const weakenedBuilds = new Map<string, Promise<{ webview: string; markdown: string }>>();

/** Builds the webview with the chosen defences taken out; resolves with the bundles' paths. */
function buildWeakened(defences: WeakenedDefences): Promise<{ webview: string; markdown: string }> {
  const name = `webview-weakened${defences.bypassSanitizer ? '-nosanitizer' : ''}${defences.markdownHtml ? '-html' : ''}`;
  const plugin: esbuild.Plugin = {
    name: 'weakened-defences',
    setup(build) {
      if (defences.bypassSanitizer) {
        build.onResolve({ filter: /^dompurify$/ }, () => ({ path: 'dompurify', namespace: 'weakened' }));
        build.onLoad({ filter: /.*/, namespace: 'weakened' }, () => ({ contents: passThroughSanitizer, loader: 'js' }));
      }
      if (defences.markdownHtml) {
        build.onLoad({ filter: /webview[\\/]markdown[\\/]render\.ts$/ }, async (args) => {
          const source = await readFile(args.path, 'utf8');
          if (!source.includes('html: false')) throw new Error('render.ts no longer sets html: false; update the weakened build');
          return { contents: source.replace('html: false', 'html: true'), loader: 'ts' };
        });
      }
    },
  };
  let pending = weakenedBuilds.get(name);
  if (!pending) {
    pending = esbuild.build({
      // The renderer (dompurify, render.ts) is in the second bundle, which the first loads as markdown.js.
      absWorkingDir: root, entryPoints: { [name]: 'webview/main.ts', [`${name}-markdown`]: 'webview/markdownEntry.ts' }, outdir: outDir, bundle: true, minify: true, format: 'iife',
      platform: 'browser', target: ['chrome120'], logLevel: 'warning', define: { 'process.env.NODE_ENV': '"production"' }, plugins: [plugin],
    }).then(() => ({ webview: join(outDir, `${name}.js`), markdown: join(outDir, `${name}-markdown.js`) }));
    weakenedBuilds.set(name, pending);
  }
  return pending;
}

export function contentSecurityPolicy(origin: string): string {
  // The extension host's policy, with the loopback origin standing in for webview.cspSource.
  return `default-src 'none'; img-src ${origin} data: blob:; style-src ${origin} 'nonce-${nonce}'; font-src ${origin}; script-src 'nonce-${nonce}';`;
}

// Stands in for VS Code's webview API. Posted messages are recorded (deep-copied as postMessage
// would); the state survives a reload through sessionStorage like VS Code's getState/setState.
const fakeVsCodeApi = `
window.__posted = [];
window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
window.__inputDelays = [];
window.addEventListener('keydown', (e) => window.__inputDelays.push(performance.now() - e.timeStamp), true);
let acquired = false;
window.acquireVsCodeApi = () => {
  if (acquired) throw new Error('acquireVsCodeApi called twice');
  acquired = true;
  return {
    postMessage: (m) => window.__posted.push(JSON.parse(JSON.stringify(m))),
    getState: () => JSON.parse(sessionStorage.getItem('vscode-state') || 'null'),
    setState: (s) => sessionStorage.setItem('vscode-state', JSON.stringify(s)),
  };
};
window.__markdownLoaded = false;
window.addEventListener('aiml-chat-markdown-renderer', () => { window.__markdownLoaded = true; });
window.__dispatch = (m) => window.dispatchEvent(new MessageEvent('message', { data: m }));
/** Dispatches init and resolves with the time to the first frame painted after it. */
window.__measureInit = (m) => new Promise((done) => {
  const start = performance.now();
  window.__dispatch(m);
  const handled = performance.now() - start;
  requestAnimationFrame(() => setTimeout(() => done({ handledMs: handled, paintedMs: performance.now() - start }), 0));
});
`;

/** A second webview bundle (bench/transcript.bench.ts builds main's transcript there as a baseline). */
export const baselineWebviewPath = join(outDir, 'webview-baseline.js');

function chatPage(origin: string, script = 'webview.js', csp = true): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
${csp ? `<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(origin)}">` : ''}
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${origin}/dist/codicons/codicon.css" nonce="${nonce}">
<link rel="stylesheet" href="${origin}/media/chat.css" nonce="${nonce}">
<title>AIML Chat</title></head>
<body><script nonce="${nonce}">${fakeVsCodeApi}</script><div id="app"></div><script nonce="${nonce}" src="${origin}/dist/${script}"></script></body></html>`;
}

function rendererPage(origin: string): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><link rel="stylesheet" href="${origin}/media/chat.css" nonce="${nonce}"><title>renderer</title></head>
<body><script nonce="${nonce}" src="${origin}/dist/rendererHarness.js"></script></body></html>`;
}

const staticFiles: Record<string, [string, string]> = {
  '/dist/webview.js': [join(outDir, 'webview.js'), 'text/javascript'],
  '/dist/markdown.js': [join(outDir, 'markdown.js'), 'text/javascript'],
  '/dist/rendererHarness.js': [join(outDir, 'rendererHarness.js'), 'text/javascript'],
  '/dist/webview-baseline.js': [baselineWebviewPath, 'text/javascript'],
  '/dist/codicons/codicon.css': [join(root, 'node_modules/@vscode/codicons/dist/codicon.css'), 'text/css'],
  '/dist/codicons/codicon.ttf': [join(root, 'node_modules/@vscode/codicons/dist/codicon.ttf'), 'font/ttf'],
  '/media/chat.css': [join(root, 'media/chat.css'), 'text/css'],
  '/media/images.css': [join(root, 'media/images.css'), 'text/css'],
  '/media/codeTheme.css': [join(root, 'media/codeTheme.css'), 'text/css'],
  '/media/a11y.css': [join(root, 'media/a11y.css'), 'text/css'],
  '/media/context.css': [join(root, 'media/context.css'), 'text/css'],
};

export interface PageServer {
  origin: string;
  chatUrl: string;
  rendererUrl: string;
  /** Holds back dist/markdown.js (the renderer loaded after the first paint) until `release()`. */
  holdMarkdown(): { release(): void };
  /** dist/markdown.js answers 404 while set (a renderer that cannot load). */
  failMarkdown: boolean;
  close(): Promise<void>;
}

export async function startPageServer(weakened?: WeakenedDefences): Promise<PageServer> {
  await buildBundles();
  const weakenedBundles = weakened && (weakened.bypassSanitizer || weakened.markdownHtml) ? await buildWeakened(weakened) : undefined;
  const withCsp = weakened?.csp !== false;
  let origin = '';
  let markdownHeld: Promise<void> = Promise.resolve();
  const control = { failMarkdown: false };
  const server: Server = createServer(async (request, response) => {
    const [path, query = ''] = (request.url ?? '/').split('?');
    const csp = contentSecurityPolicy(origin);
    if (path === '/chat.html' || path === '/renderer.html') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...(path === '/chat.html' && withCsp ? { 'content-security-policy': csp } : {}) });
      response.end(path === '/chat.html' ? chatPage(origin, query === 'baseline' ? 'webview-baseline.js' : undefined, withCsp) : rendererPage(origin));
      return;
    }
    const weakenedFile = path === '/dist/webview.js' ? weakenedBundles?.webview : path === '/dist/markdown.js' ? weakenedBundles?.markdown : undefined;
    const file = weakenedFile ? [weakenedFile, 'text/javascript'] : staticFiles[path];
    if (path === '/dist/markdown.js') {
      await markdownHeld;
      if (control.failMarkdown) { response.writeHead(404).end(); return; }
    }
    if (!file) { response.writeHead(404).end(); return; }
    readFile(file[0]).then(
      (body) => response.writeHead(200, { 'content-type': file[1] }).end(body),
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    chatUrl: `${origin}/chat.html`,
    rendererUrl: `${origin}/renderer.html`,
    holdMarkdown: () => {
      let release = (): void => undefined;
      markdownHeld = new Promise((done) => { release = done; });
      return { release: () => release() };
    },
    get failMarkdown() { return control.failMarkdown; },
    set failMarkdown(value: boolean) { control.failMarkdown = value; },
    close: () => new Promise((done) => { server.closeAllConnections(); server.close(() => done()); }),
  };
}
