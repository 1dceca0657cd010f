// activate() in the real extension host: starts a fresh code-server host (fresh profile) N times
// through the integration harness, runs only the activation test, and reads the activatedInMs
// (and the time of each part of activate()) it writes from the extension's exports to the file
// named by AIML_ACTIVATION_OUT (test/integration/activation.test.ts). Each start
// is a cold activation, as a user gets it when opening a window.
// Run: npx tsx bench/activation.bench.ts   (ACTIVATION_RUNS=5; --no-package reuses dist/aiml-chat.vsix)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const GREP = 'activates the extension and reports its activation time';

export interface ActivationRun { activatedInMs: number; laps: Record<string, number> }


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
  return ['| part | ms per fresh host | median ms |', '| --- | --- | ---: |', ...rows].join('\n');
}

const invokedDirectly = process.argv[1] !== undefined && /activation\.bench\.ts$/.test(process.argv[1]);
if (invokedDirectly) {
  const count = Number(process.env.ACTIVATION_RUNS ?? 5);
  const packageFirst = !process.argv.includes('--no-package') || !existsSync('dist/aiml-chat.vsix');
  const runs: ActivationRun[] = [];
  for (let index = 0; index < count; index++) runs.push(runOnce(packageFirst && index === 0));
  console.log(`Node ${process.version}, ${new Date().toISOString()}, load average ${os.loadavg().map((load) => load.toFixed(1)).join(' ')}\n`);
  console.log(formatActivationTable(runs));
}
