import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);
import * as esbuild from 'esbuild';
import path from 'node:path';
const stub = (process.env.STUB ?? '').split(',').filter(Boolean).map((s) => path.resolve(s));
const plugin = { name: 'stub', setup(b) { b.onLoad({ filter: /\.ts$/ }, (a) => stub.includes(a.path.replace(/\.ts$/, '')) ? { contents: [...require('fs').readFileSync(a.path,'utf8').matchAll(/^export (?:async )?(?:abstract )?(?:class|function|const|let) (\w+)/gm)].map((m)=>`export const ${m[1]} = undefined;`).join('\n'), loader: 'ts' } : undefined); } };
const r = await esbuild.build({ bundle: true, minify: true, write: false, entryPoints: { extension: 'src/extension.ts' }, outdir: '/tmp/s7dist', platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'], metafile: true, define: { 'process.env.NODE_ENV': '"production"' }, logLevel: 'silent', legalComments: 'none', plugins: [plugin] });
const out = Object.values(r.metafile.outputs)[0];
const g = {}; for (const [f, i] of Object.entries(out.inputs)) { const k = f.startsWith('node_modules') ? f.split('/').slice(0, 2).join('/') : f.split('/').slice(0, 3).join('/'); g[k] = (g[k] ?? 0) + i.bytesInOutput; }
console.log('total', out.bytes, Object.entries(g).sort((a, b) => b[1] - a[1]).slice(0, 12).map(([k, v]) => `${k}=${v}`).join(' '));
