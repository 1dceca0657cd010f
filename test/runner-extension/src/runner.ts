// The test-runner extension: activated on startup beside the packaged AIML Chat, it runs mocha on
// the integration suites (bundled into dist/suites.js beside it by scripts/lib/runner-build.mjs) inside
// the real extension host and writes the results as JSON for the driving script to read.
//
// The results path comes from the AIML_TEST_RESULTS env variable (code-server's environment is
// inherited by its extension host). Without it the runner does nothing, so a developer who
// installs it by accident is not surprised.
//
// Activation is `*` rather than `onStartupFinished`: the extension host is up either way, and
// waiting for the workbench's "eventually" phase cost 10+ s per run on a loaded 2-core machine.
// extensionDependencies still makes VS Code activate AIML Chat first.
import * as path from 'node:path';
import { mkdirSync, writeFileSync, existsSync, renameSync } from 'node:fs';
import Mocha from 'mocha';

interface TestRecord {
  title: string;
  fullTitle: string;
  durationMs?: number;
  error?: string;
  stack?: string;
}

interface Results {
  passes: TestRecord[];
  failures: TestRecord[];
  pending: TestRecord[];
  stats: { passes: number; failures: number; pending: number; durationMs: number };
  /** Spec-style lines for the driving script to print as they would appear in a terminal. */
  lines: string[];
  done: true;
}

/** Mocha wants a reporter; the runner collects results from the runner's events itself. */
class SilentReporter extends Mocha.reporters.Base {}

export async function activate(): Promise<void> {
  const resultsFile = process.env.AIML_TEST_RESULTS;
  if (!resultsFile || existsSync(resultsFile)) return; // already ran (a reload) or not under test
  mkdirSync(path.dirname(resultsFile), { recursive: true });
  const results = await runSuites();
  writeFileSync(`${resultsFile}.tmp`, JSON.stringify(results, null, 2));
  // Rename so the driver never reads a half-written file.
  renameSync(`${resultsFile}.tmp`, resultsFile);
}

/** The entry @vscode/test-electron calls (extensionTestsPath): print, and reject on failures. */
export async function run(): Promise<void> {
  const results = await runSuites();
  for (const line of results.lines) console.log(`  ${line}`);
  console.log(`\n  ${results.stats.passes} passing (${results.stats.durationMs}ms)`);
  if (results.stats.pending) console.log(`  ${results.stats.pending} pending`);
  if (results.stats.failures) {
    console.log(`  ${results.stats.failures} failing`);
    results.failures.forEach((f, i) => console.log(`\n  ${i + 1}) ${f.fullTitle}:\n     ${f.stack ?? f.error}`));
    throw new Error(`${results.stats.failures} test(s) failed`);
  }
}

async function runSuites(): Promise<Results> {
  const started = Date.now();
  const results: Results = { passes: [], failures: [], pending: [], stats: { passes: 0, failures: 0, pending: 0, durationMs: 0 }, lines: [], done: true };
  try {
    const mocha = new Mocha({ ui: 'bdd', timeout: Number(process.env.AIML_TEST_TIMEOUT_MS ?? 20_000), color: false, reporter: SilentReporter });
    if (process.env.AIML_TEST_GREP) mocha.grep(process.env.AIML_TEST_GREP);
    // The suites call describe()/it() at load time, so they must load after mocha set up its globals.
    mocha.suite.emit('pre-require', globalThis, 'suites.js', mocha);
    // A run-time require of the sibling bundle (external to this one), not an import to bundle.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('./suites.js');
    await new Promise<void>((resolve) => {
      const runner = mocha.run(() => resolve());
      let depth = 0;
      const indent = () => '  '.repeat(depth);
      runner.on('suite', (s) => { if (s.title) results.lines.push(`${indent()}${s.title}`); depth++; });
      runner.on('suite end', () => { depth--; });
      runner.on('pass', (t) => {
        results.passes.push({ title: t.title, fullTitle: t.fullTitle(), durationMs: t.duration });
        results.lines.push(`${indent()}✔ ${t.title} (${t.duration} ms)`);
      });
      runner.on('pending', (t) => {
        results.pending.push({ title: t.title, fullTitle: t.fullTitle() });
        results.lines.push(`${indent()}- ${t.title}`);
      });
      runner.on('fail', (t, err: Error) => {
        results.failures.push({ title: t.title, fullTitle: t.fullTitle(), error: String(err?.message ?? err), stack: err?.stack });
        results.lines.push(`${indent()}✖ ${t.title}: ${String(err?.message ?? err).split('\n')[0]}`);
      });
    });
  } catch (err) {
    // A suite that throws while loading is a failure, not a hang of the driving script.
    const e = err as Error;
    results.failures.push({ title: 'loading the suites', fullTitle: 'loading the suites', error: e.message, stack: e.stack });
  }
  results.stats = { passes: results.passes.length, failures: results.failures.length, pending: results.pending.length, durationMs: Date.now() - started };
  return results;
}

export function deactivate(): void {}
