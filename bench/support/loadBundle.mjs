// Loads one extension bundle the way the extension host does (read, compile as a CommonJS
// function, run), in a fresh Node process with a stand-in `vscode` module, and prints the three
// times as JSON. For bench/activation.bench.ts: the part of a start that comes before activate().
// Run: node bench/support/loadBundle.mjs dist/extension.js
import { readFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import { performance } from 'node:perf_hooks';

// Any property of the stand-in is a callable, constructible stand-in again: module-level code may
// read enums (vscode.DiagnosticSeverity.Error) and call factories; nothing of it runs for real.
const handler = { get: (_target, key) => (key === 'then' ? undefined : key === Symbol.toPrimitive ? () => 0 : anything()), apply: () => anything(), construct: () => anything() };
function anything() { return new Proxy(function stand() {}, handler); }
// esbuild's __toESM copies own keys and keeps the prototype: the stand-in lives in the prototype.
const fakeVscode = Object.create(new Proxy({}, { get: (_target, key) => (key === '__esModule' || key === 'then' ? undefined : anything()) }));
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) { return request === 'vscode' ? 'vscode' : resolve.call(this, request, ...rest); };
Module._cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: fakeVscode };

const file = path.resolve(process.argv[2]);
const require = createRequire(file);
// Node's own modules the bundles use, loaded first: their cost is the host's, not the bundle's.
for (const name of ['node:crypto', 'node:fs', 'node:fs/promises', 'node:os', 'node:path', 'node:child_process', 'node:util']) require(name);
const started = performance.now();
const source = readFileSync(file, 'utf8');
const read = performance.now();
const run = vm.compileFunction(source, ['exports', 'require', 'module', '__filename', '__dirname'], { filename: file });
const compiled = performance.now();
const module = { exports: {} };
run(module.exports, require, module, file, path.dirname(file));
const evaluated = performance.now();
console.log(JSON.stringify({ readMs: read - started, compileMs: compiled - read, evaluateMs: evaluated - compiled }));
