// activate() in the real extension host: starts a fresh code-server host (fresh profile) N times
// through the integration harness, runs only the activation test, and reads the activatedInMs
// (and the time of each part of activate()) it writes from the extension's exports to the file
// named by AIML_ACTIVATION_OUT (test/integration/activation.test.ts). Each start
// is a cold activation, as a user gets it when opening a window.
// Run: npx tsx bench/activation.bench.ts   (ACTIVATION_RUNS=5; --no-package reuses dist/aiml-chat.vsix)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const GREP = 'activates the extension and reports its activation time';

export interface ActivationRun { activatedInMs: number; laps: Record<string, number>; bundleEvaluatedInMs?: number }

/** One bundle loaded in a fresh plain Node process (bench/support/loadBundle.mjs). */
export interface BundleLoad { readMs: number; compileMs: number; evaluateMs: number }


function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function runOnce(packageFirst: boolean): ActivationRun {
  const args = ['scripts/run-integration.mjs', '--grep', GREP, ...(packageFirst ? [] : ['--no-package'])];
  const folder = mkdtempSync(path.join(os.tmpdir(), 'aiml-activation-'));
  const out = path.join(folder, 'activation.jsonl');
  const run = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 * 2 ** 20, env: { ...process.env, AIML_ACTIVATION_OUT: out } });
  const result = existsSync(out) ? JSON.parse(readFileSync(out, 'utf8').trim().split('\n')[0]) as ActivationRun : undefined;
  rmSync(folder, { recursive: true, force: true });
  if (run.status !== 0 || !result) throw new Error(`the activation test failed (exit ${run.status}):\n${(run.stdout ?? '').slice(-3000)}\n${(run.stderr ?? '').slice(-2000)}`);
  return result;
}

const outside = (run: ActivationRun) => run.activatedInMs - Object.values(run.laps).reduce((sum, ms) => sum + ms, 0);

export function formatActivationTable(runs: ActivationRun[]): string {
  const names = [...new Set(runs.flatMap((run) => Object.keys(run.laps)))];
  const rows = [
    `| activate() total | ${runs.map((run) => run.activatedInMs.toFixed(1)).join(', ')} | **${median(runs.map((run) => run.activatedInMs)).toFixed(1)}** |`,
    ...names.map((name) => `| ${name} | ${runs.map((run) => (run.laps[name] ?? 0).toFixed(1)).join(', ')} | ${median(runs.map((run) => run.laps[name] ?? 0)).toFixed(1)} |`),
    `| (outside the parts) | ${runs.map(outside).map((ms) => ms.toFixed(1)).join(', ')} | ${median(runs.map(outside)).toFixed(1)} |`,
  ];
  // Before activate() is called: the host evaluates the bundle's modules (older builds do not report it).
  const evaluated = runs.map((run) => run.bundleEvaluatedInMs).filter((ms): ms is number => ms !== undefined);
  if (evaluated.length) rows.push(`| evaluating dist/extension.js, before activate() | ${evaluated.map((ms) => ms.toFixed(1)).join(', ')} | ${median(evaluated).toFixed(1)} |`);
  return ['| part | ms per fresh host | median ms |', '| --- | --- | ---: |', ...rows].join('\n');
}

/** Reads, compiles and runs a bundle in fresh Node processes (a stand-in `vscode`): the medians. */
export function loadBundle(file: string, count: number): BundleLoad & { runs: BundleLoad[] } {
  const runs: BundleLoad[] = [];
  for (let index = 0; index < count; index++) {
    const run = spawnSync(process.execPath, ['bench/support/loadBundle.mjs', file], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`loading ${file} failed: ${run.stderr.slice(-2000)}`);
    runs.push(JSON.parse(run.stdout.trim().split('\n').pop()!) as BundleLoad);
  }
  return { readMs: median(runs.map((r) => r.readMs)), compileMs: median(runs.map((r) => r.compileMs)), evaluateMs: median(runs.map((r) => r.evaluateMs)), runs };
}

export function formatBundleLoads(loads: Record<string, BundleLoad & { runs: BundleLoad[] }>): string {
  const lines = ['| bundle (plain Node, fresh process) | size | compile ms (runs) | evaluate ms (runs) |', '| --- | ---: | --- | --- |'];
  for (const [file, load] of Object.entries(loads)) {
    lines.push(`| ${file} | ${(statSync(file).size / 1000).toFixed(1)} KB | ${load.compileMs.toFixed(1)} (${load.runs.map((r) => r.compileMs.toFixed(1)).join(', ')}) | ${load.evaluateMs.toFixed(1)} (${load.runs.map((r) => r.evaluateMs.toFixed(1)).join(', ')}) |`);
  }
  return lines.join('\n');
}

const invokedDirectly = process.argv[1] !== undefined && /activation\.bench\.ts$/.test(process.argv[1]);
if (invokedDirectly) {
  const count = Number(process.env.ACTIVATION_RUNS ?? 5);
  const packageFirst = !process.argv.includes('--no-package') || !existsSync('dist/aiml-chat.vsix');
  const runs: ActivationRun[] = [];
  for (let index = 0; index < count; index++) runs.push(runOnce(packageFirst && index === 0));
  console.log(`Node ${process.version}, ${new Date().toISOString()}, load average ${os.loadavg().map((load) => load.toFixed(1)).join(' ')}\n`);
  console.log(formatActivationTable(runs));
  // What comes before activate(): compiling and evaluating the bundle the host loads at every start.
  const bundles = ['dist/extension.js'].filter((file) => existsSync(file));
  console.log(`\n${formatBundleLoads(Object.fromEntries(bundles.map((file) => [file, loadBundle(file, count)])))}`);
}
