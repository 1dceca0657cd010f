// `npm run bench`: runs every bench/*.bench.ts in its own process (so one benchmark's heap and JIT
// state cannot skew another), prints their markdown tables and writes them, with the machine and
// the command, to bench/results/latest.md for docs/BENCHMARKS.md.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';

const only = process.argv.slice(2);
const benches = readdirSync('bench')
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  // The real-workbench benchmarks start code-server and Chromium (minutes on a loaded machine).
  .filter((f) => !(process.env.BENCH_SKIP_WORKBENCH === '1' && (f === 'workbench.bench.ts' || f === 'activation.bench.ts')))
  .sort();

const machine = `${os.cpus()[0]?.model ?? 'unknown CPU'} × ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.platform()} ${os.release()}, Node ${process.version}`;
const sections = [`# Benchmark run ${new Date().toISOString()}`, '', `Machine: ${machine}`, '', 'Command: `npm run bench`', ''];
let failed = 0;
for (const file of benches) {
  console.log(`\n=== ${file} ===`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', `bench/${file}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 2 ** 20 });
  process.stdout.write(run.stdout ?? '');
  if (run.status !== 0) failed++;
  sections.push(`## ${file}`, '', (run.stdout ?? '').trim() || `(exited with ${run.status})`, '');
}
mkdirSync('bench/results', { recursive: true });
writeFileSync('bench/results/latest.md', sections.join('\n'));
console.log(`\nWrote bench/results/latest.md (${benches.length} benchmarks, ${failed} failed).`);
process.exit(failed ? 1 : 0);
