// activate() in the real extension host: starts a fresh code-server host (fresh profile) N times
// through the integration harness, runs only the activation test, and reads the activatedInMs
// (and the time of each part of activate()) it prints from the extension's exports. Each start
// is a cold activation, as a user gets it when opening a window.
// Run: npx tsx bench/activation.bench.ts   (ACTIVATION_RUNS=5; --no-package reuses dist/aiml-chat.vsix)
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';

const GREP = 'activates the extension and reports its activation time';

export interface ActivationRun { activatedInMs: number; laps: Record<string, number> }

/** Reads the lines the activation test prints (test/integration/activation.test.ts). */
export function parseActivationOutput(output: string): ActivationRun | undefined {
  const total = /activatedInMs=([\d.]+)/.exec(output);
  const laps = /activationLaps=(\{.*\})/.exec(output);
  if (!total) return undefined;
  return { activatedInMs: Number(total[1]), laps: laps ? JSON.parse(laps[1]) as Record<string, number> : {} };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function runOnce(packageFirst: boolean): ActivationRun {
  const args = ['scripts/run-integration.mjs', '--grep', GREP, ...(packageFirst ? [] : ['--no-package'])];
  const run = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  const result = parseActivationOutput(run.stdout ?? '');
  if (run.status !== 0 || !result) throw new Error(`the activation test failed (exit ${run.status}):\n${(run.stdout ?? '').slice(-3000)}\n${(run.stderr ?? '').slice(-2000)}`);
  return result;
}

export function formatActivationTable(runs: ActivationRun[]): string {
  const names = [...new Set(runs.flatMap((run) => Object.keys(run.laps)))];
  const rows = [
    `| activate() total | ${runs.map((run) => run.activatedInMs.toFixed(1)).join(', ')} | **${median(runs.map((run) => run.activatedInMs)).toFixed(1)}** |`,
    ...names.map((name) => `| ${name} | ${runs.map((run) => (run.laps[name] ?? 0).toFixed(1)).join(', ')} | ${median(runs.map((run) => run.laps[name] ?? 0)).toFixed(1)} |`),
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
