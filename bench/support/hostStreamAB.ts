// Before/after of bench/hostStream.bench.ts in one process: imports runHostStreamBench from two
// copies of the repository (e.g. `git archive main src test bench | tar -x -C /tmp/before`, with
// bench/hostStream.bench.ts copied in, and this tree) and alternates them, so both see the same load.
// Run: npx tsx bench/support/hostStreamAB.ts /tmp/before /work/wt/NAME [rounds]
import os from 'node:os';
import * as path from 'node:path';
import type { HostStreamResult, runHostStreamBench } from '../hostStream.bench';

type Bench = { runHostStreamBench: typeof runHostStreamBench };

async function main(): Promise<void> {
  const [beforeRoot, afterRoot, roundsText = '5'] = process.argv.slice(2);
  if (!beforeRoot || !afterRoot) throw new Error('usage: hostStreamAB.ts <before repo> <after repo> [rounds]');
  const load = (root: string) => import(path.resolve(root, 'bench/hostStream.bench.ts')) as Promise<Bench>;
  const sides: Array<[string, Bench]> = [['before', await load(beforeRoot)], ['after', await load(afterRoot)]];
  const results = new Map<string, HostStreamResult[]>(sides.map(([name]) => [name, []]));
  console.log(`load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  for (let round = 0; round < Number(roundsText); round++) {
    for (const [name, bench] of sides) results.get(name)?.push(await bench.runHostStreamBench({ runs: 3, warmup: round === 0 ? 2 : 1 }));
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];
  for (const [name, runs] of results) {
    const of = (key: 'clientCpuMs' | 'chatCpuMs' | 'callbackMs' | 'postMs' | 'posts') => median(runs.map((run) => run[key]));
    const perEvent = (ms: number) => (1000 * ms / runs[0].events).toFixed(2);
    console.log(`${name}: client ${of('clientCpuMs').toFixed(1)} ms (${perEvent(of('clientCpuMs'))} µs/event), chat ${of('chatCpuMs').toFixed(1)} ms (${perEvent(of('chatCpuMs'))} µs/event), callback wall ${of('callbackMs').toFixed(1)} ms, posts ${of('posts')}, serialising posts ${of('postMs').toFixed(1)} ms`);
  }
  console.log(`load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
