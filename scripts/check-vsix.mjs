#!/usr/bin/env node
// Fails when the packaged .vsix carries anything beyond what runs: sources, maps, tests and
// node_modules would bloat the download and leak internals. Reads the zip's central directory
// itself so it needs no unzip binary.
import { readFileSync, statSync } from 'node:fs';

const file = process.argv[2] ?? 'dist/aiml-chat.vsix';

export function zipEntries(buf) {
  // End of central directory: signature 0x06054b50 within the last 64 KiB + 22 bytes.
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65_557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  }
  if (eocd < 0) throw new Error(`${file} is not a zip file`);
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const entries = [];
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error('corrupt central directory');
    const size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28), extraLen = buf.readUInt16LE(p + 30), commentLen = buf.readUInt16LE(p + 32);
    entries.push({ name: buf.toString('utf8', p + 46, p + 46 + nameLen), size });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

const ALLOWED = [
  /^\[Content_Types\]\.xml$/,
  /^extension\.vsixmanifest$/,
  /^extension\/package\.json$/,
  /^extension\/(readme|changelog)\.md$/i,
  /^extension\/LICENSE(\.txt|\.md)?$/i,
  /^extension\/dist\/(extension|batch|tools|webview|markdown)\.js$/,
  /^extension\/dist\/[\w.-]+\.css$/,
  /^extension\/dist\/codicons\/[\w.-]+$/,
  /^extension\/media\/[\w./-]+$/,
];
const FORBIDDEN = [/\.ts$/, /\.map$/, /(^|\/)node_modules\//, /^extension\/test\//, /^extension\/src\//, /\.vsix$/, /(^|\/)\.env/];

const entries = zipEntries(readFileSync(file));
const bad = [];
for (const e of entries) {
  if (FORBIDDEN.some((re) => re.test(e.name))) bad.push(`${e.name} (forbidden)`);
  else if (!ALLOWED.some((re) => re.test(e.name))) bad.push(`${e.name} (not in the allow list)`);
}
for (const required of ['extension/package.json', 'extension/dist/extension.js', 'extension/dist/batch.js', 'extension/dist/tools.js', 'extension/dist/webview.js', 'extension/dist/markdown.js']) {
  if (!entries.some((e) => e.name === required)) bad.push(`${required} (missing)`);
}
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
for (const e of entries) console.log(`  ${kib(e.size).padStart(10)}  ${e.name}`);
console.log(`[check-vsix] ${entries.length} files, ${kib(statSync(file).size)} on disk`);

// Size budgets (docs/BENCHMARKS.md, issue 15): what users download and what the host and the
// webview parse on every start. Limits are in KB of 1000 bytes, as the issue states them; each line
// prints the size, the limit and the headroom left, so a creeping bundle shows before it fails.
const KB = 1000;
const sizeOf = (name) => entries.find((e) => e.name === name)?.size ?? 0;
const BUDGETS = [
  // Issue 15's target for what every activation loads. The batch feature and the tools load on first use.
  { what: 'extension bundle (dist/extension.js)', size: sizeOf('extension/dist/extension.js'), limit: 350 * KB },
  { what: 'batch bundle, loaded on first use (dist/batch.js)', size: sizeOf('extension/dist/batch.js'), limit: 200 * KB },
  { what: 'tool runner bundle, loaded on first use (dist/tools.js)', size: sizeOf('extension/dist/tools.js'), limit: 200 * KB },
  // The webview: its first bundle, the markdown renderer loaded after the first paint, and both.
  { what: 'webview bundle, first paint (dist/webview.js)', size: sizeOf('extension/dist/webview.js'), limit: 450 * KB },
  { what: 'webview markdown renderer, after the first paint (dist/markdown.js)', size: sizeOf('extension/dist/markdown.js'), limit: 350 * KB },
  { what: 'webview bundles together', size: sizeOf('extension/dist/webview.js') + sizeOf('extension/dist/markdown.js'), limit: 450 * KB },
  { what: 'VSIX', size: statSync(file).size, limit: 1000 * KB },
];
const kb = (n) => `${(n / KB).toFixed(1)} KB`;
for (const budget of BUDGETS) {
  const share = ((100 * budget.size) / budget.limit).toFixed(0);
  const left = budget.limit - budget.size;
  console.log(`[check-vsix] budget: ${budget.what} ${budget.size} bytes = ${kb(budget.size)} of ${kb(budget.limit)} (1 KB = 1000 bytes; ${share} %, ${left >= 0 ? `${kb(left)} headroom` : `${kb(-left)} OVER`})`);
  if (budget.size > budget.limit) bad.push(`${budget.what} is ${kb(budget.size)}, over its budget of ${kb(budget.limit)}`);
}
if (bad.length) {
  console.error(`[check-vsix] FAILED, unexpected content:\n  ${bad.join('\n  ')}`);
  process.exit(1);
}
console.log('[check-vsix] ok: only what runs is packaged');
