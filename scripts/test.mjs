#!/usr/bin/env node
// `npm test`: every check the project has, in order of cost, continuing past failures so one run
// reports everything: lint, typecheck (host + webview), production build + package, unit tests,
// the incremental security mutation run (once its baseline is committed), browser tests (if any),
// integration tests in the real extension host, end-to-end tests.
// Counts come from mocha's summary lines ("N passing", "N failing", "N pending"); a failing step
// that is not a test run (lint, typecheck, build) counts as one failure. The last line is exactly
// `tests: N passed, M failed[, K skipped]`; the exit code is non-zero when anything failed.
// SKIP=integration,e2e (comma list of step names) leaves steps out, e.g. for a quick local run.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './lib/paths.mjs';
import { ensureDependencies, ensureTestHost } from './lib/bootstrap.mjs';

// A fresh clone has neither node_modules nor the VS Code host: install both first (quick no-ops later).
ensureDependencies();
if (!(process.env.SKIP ?? '').includes('integration') || !(process.env.SKIP ?? '').includes('e2e')) ensureTestHost();

const skip = new Set((process.env.SKIP ?? '').split(',').map((s) => s.trim()).filter(Boolean));
const bin = (name) => path.join(ROOT, 'node_modules', '.bin', name);
const hasTests = (dir) => existsSync(dir) && walk(dir).some((f) => f.endsWith('.test.ts'));
function walk(dir) {
  return readdirSync(dir).flatMap((n) => (statSync(path.join(dir, n)).isDirectory() ? walk(path.join(dir, n)) : [path.join(dir, n)]));
}

const steps = [
  { name: 'lint', cmd: bin('eslint'), args: ['.'] },
  { name: 'typecheck', cmd: bin('tsc'), args: ['-p', '.', '--noEmit'] },
  { name: 'typecheck-webview', cmd: bin('tsc'), args: ['-p', 'webview/tsconfig.json', '--noEmit'] },
  { name: 'build', cmd: 'npm', args: ['run', '--silent', 'package'] },
  { name: 'unit', mocha: true, cmd: bin('mocha'), args: ['--config', '.mocharc.json', 'test/unit/**/*.test.ts'], when: () => hasTests(path.join(ROOT, 'test', 'unit')) },
  // Mutation testing of the security-critical files, incremental from the committed baseline
  // (docs/TESTING.md): only mutants changed since the baseline are tested, within a hard bound.
  // Off until a baseline is committed (`npm run mutation:security -- --update-baseline`).
  { name: 'mutation-security', cmd: process.execPath, args: ['scripts/mutation.mjs', '--security', '--time-limit=240'], when: () => existsSync(path.join(ROOT, 'test', 'mutation', 'security-incremental.json')) },
  { name: 'browser', mocha: true, cmd: bin('mocha'), args: ['--config', '.mocharc.json', '--timeout', '60000', 'test/browser/**/*.test.ts'], when: () => hasTests(path.join(ROOT, 'test', 'browser')) },
  { name: 'integration', mocha: true, cmd: process.execPath, args: ['scripts/run-integration.mjs', '--no-package'] },
  { name: 'e2e', mocha: true, cmd: process.execPath, args: ['scripts/run-e2e.mjs', '--no-package'], when: () => hasTests(path.join(ROOT, 'test', 'e2e')) },
];

function run(step) {
  return new Promise((resolve) => {
    const child = spawn(step.cmd, step.args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } });
    let out = '';
    child.stdout.on('data', (d) => { out += d; process.stdout.write(d); });
    child.stderr.on('data', (d) => { out += d; process.stderr.write(d); });
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
  });
}

/** The last mocha summary in the output (mocha prints one per run). */
function mochaCounts(raw) {
  // eslint-disable-next-line no-control-regex -- ANSI escapes are exactly what is stripped
  const out = raw.replace(/\x1b\[[0-9;]*m/g, ''); // colours, when a child forces them on
  const last = (re) => {
    const all = [...out.matchAll(re)];
    return all.length ? Number(all[all.length - 1][1]) : 0;
  };
  return { passed: last(/^\s*(\d+) passing/gm), failed: last(/^\s*(\d+) failing/gm), skipped: last(/^\s*(\d+) pending/gm), found: /^\s*\d+ passing/m.test(out) };
}

const totals = { passed: 0, failed: 0, skipped: 0 };
const summary = [];
const started = Date.now();
for (const step of steps) {
  if (skip.has(step.name) || (step.when && !step.when())) {
    summary.push(`  ${step.name.padEnd(18)} skipped`);
    continue;
  }
  console.log(`\n${'='.repeat(72)}\n== ${step.name}: ${[path.basename(step.cmd), ...step.args].join(' ')}\n${'='.repeat(72)}`);
  const t = Date.now();
  const { code, out } = await run(step);
  const secs = ((Date.now() - t) / 1000).toFixed(1);
  let line;
  if (step.mocha) {
    const c = mochaCounts(out);
    // A crash before mocha's summary (or a non-zero exit with no failing test) is still a failure.
    if (code !== 0 && c.failed === 0) c.failed = 1;
    totals.passed += c.passed;
    totals.failed += c.failed;
    totals.skipped += c.skipped;
    line = `${c.passed} passing, ${c.failed} failing${c.skipped ? `, ${c.skipped} pending` : ''}`;
  } else {
    if (code !== 0) totals.failed += 1;
    line = code === 0 ? 'ok' : `FAILED (exit ${code})`;
  }
  summary.push(`  ${step.name.padEnd(18)} ${line} [${secs} s]`);
}

console.log(`\n${'='.repeat(72)}\n== summary (${((Date.now() - started) / 1000).toFixed(0)} s)\n${summary.join('\n')}`);
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`);
process.exit(totals.failed > 0 ? 1 : 0);
