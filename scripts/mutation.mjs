#!/usr/bin/env node
// `npm run mutation` (all of src/core and src/shared) and `npm run mutation:security` (the tools,
// the key redaction and the approval/confinement code only, incremental): runs Stryker, then holds
// each file to its target from docs/TESTING.md and exits non-zero when one falls short.
// The HTML report is reports/mutation/index.html (git-ignored).
// --security options: --time-limit=SECONDS stops Stryker (and fails) past that wall time, the
// bound `npm test` uses; --update-baseline writes the run's results back to the committed baseline
// (SECURITY_BASELINE) that every security run starts from.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Security-critical code: at least 95 % of its mutants must be killed. */
export const SECURITY_CRITICAL = ['src/core/tools/**/*.ts', 'src/core/api/redaction.ts', 'src/core/api/errors.ts', 'src/core/security/**/*.ts'];
/**
 * Not mutated: toolJsonSchemas.ts is generated from the zod schemas in definitions.ts, and its unit
 * test compares the file's text with the generator's output, so its values are checked as text
 * (a mutant of the loaded module changes nothing that test reads).
 */
export const NOT_MUTATED = ['!src/core/tools/toolJsonSchemas.ts'];
/**
 * The tests of the security-critical code, the focused ones first (mocha bails at the first failure).
 * The pattern tables lead: a static mutant (a module-level value, such as a pattern list entry) runs
 * every test until one fails, so its killer should come first. Each file is listed once (mocha would
 * load a file matched by two globs twice).
 */
export const SECURITY_SPEC = ['test/unit/security/patterns.test.ts', 'test/unit/security/askPatterns.test.ts', 'test/unit/api/redaction.test.ts', 'test/unit/api/errors.test.ts', 'test/unit/tools/**/*.test.ts', 'test/unit/security/!(patterns|askPatterns).test.ts'];
/** The committed result of the last full security run: each run starts from it (Stryker's incremental report). */
export const SECURITY_BASELINE = 'test/mutation/security-incremental.json';
const WORKING_INCREMENTAL = 'reports/mutation/security-incremental.json';
const SECURITY_TARGET = 95;
const DEFAULT_TARGET = 85;

const security = process.argv.includes('--security');
const updateBaseline = process.argv.includes('--update-baseline');
const timeLimitArg = process.argv.find((a) => a.startsWith('--time-limit='));
const timeLimitSeconds = timeLimitArg ? Number(timeLimitArg.split('=')[1]) : undefined;
const env = { ...process.env };
if (security) {
  env.MUTATE ??= [...SECURITY_CRITICAL, ...NOT_MUTATED].join(',');
  env.MUTATION_SPEC ??= SECURITY_SPEC.join(',');
  env.STRYKER_INCREMENTAL ??= '1';
  env.STRYKER_INCREMENTAL_FILE ??= WORKING_INCREMENTAL;
  env.STRYKER_BREAK ??= String(SECURITY_TARGET);
  // Always from the committed baseline, never from an earlier local run: the same tree costs the
  // same everywhere (a clean clone included), and a local run of other files cannot spoil it.
  const baseline = path.join(ROOT, SECURITY_BASELINE);
  const working = path.join(ROOT, env.STRYKER_INCREMENTAL_FILE);
  mkdirSync(path.dirname(working), { recursive: true });
  if (existsSync(baseline)) copyFileSync(baseline, working);
  else {
    rmSync(working, { force: true });
    console.log(`no baseline at ${SECURITY_BASELINE}: every mutant is tested (run \`npm run mutation:security -- --update-baseline\` and commit it).`);
  }
}
// Stryker runs the unit tests in a sandbox copy without .vscode-test, so the tests that need the
// ripgrep of the provisioned VS Code host (test/unit/tools/fakeHost.ts) are pointed at it here.
const hostRipgrep = path.join(ROOT, '.vscode-test', 'host', 'node_modules', 'code-server', 'lib', 'vscode', 'node_modules', '@vscode', 'ripgrep-universal', 'bin', `${process.platform}-${process.arch}`, 'rg');
if (!env.AIML_TEST_RIPGREP && existsSync(hostRipgrep)) env.AIML_TEST_RIPGREP = hostRipgrep;
const started = Date.now();
const status = await runStryker();
const seconds = ((Date.now() - started) / 1000).toFixed(0);
if (status === 'timeout') {
  console.log(`\nmutation testing stopped after ${timeLimitSeconds} s (its time limit): too many mutants changed since the baseline.`);
  console.log(`Run \`npm run mutation:security -- --update-baseline\` (no limit) and commit ${SECURITY_BASELINE}.`);
  process.exit(1);
}
const reportFile = path.join(ROOT, 'reports', 'mutation', 'mutation.json');
// A run that broke the threshold (thresholds.break) still wrote its report: print its scores.
if (status !== 0 && !(existsSync(reportFile) && statSync(reportFile).mtimeMs >= started)) process.exit(status);
console.log(`\nStryker took ${seconds} s${status === 0 ? '' : ` and exited with ${status}`}.`);
if (security && updateBaseline && status === 0) writeBaseline(path.join(ROOT, env.STRYKER_INCREMENTAL_FILE), path.join(ROOT, SECURITY_BASELINE));

/** Runs Stryker in its own process group, so a time limit can stop it with its workers. */
function runStryker() {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'node_modules', '@stryker-mutator', 'core', 'bin', 'stryker.js'), 'run'], { cwd: ROOT, env, stdio: 'inherit', detached: true });
    let timedOut = false;
    const timer = timeLimitSeconds ? setTimeout(() => {
      timedOut = true;
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
    }, timeLimitSeconds * 1000) : undefined;
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(timedOut ? 'timeout' : code ?? 1);
    });
  });
}

/**
 * The incremental report as a baseline: only what Stryker's differ reads (sources, mutant keys,
 * statuses, the tests that killed or cover a mutant), so the committed file stays small. Killed
 * mutants keep only their killers: a killed mutant is reused while one of its killers is unchanged.
 */
function writeBaseline(from, to) {
  const report = JSON.parse(readFileSync(from, 'utf8'));
  const files = Object.fromEntries(Object.entries(report.files).sort(([a], [b]) => a.localeCompare(b)).map(([name, file]) => [name, {
    language: file.language,
    source: file.source,
    mutants: file.mutants.map((m) => ({
      id: m.id, mutatorName: m.mutatorName, replacement: m.replacement, location: m.location, status: m.status,
      ...(m.killedBy?.length ? { killedBy: m.killedBy } : {}),
      ...(m.status !== 'Killed' && m.coveredBy?.length ? { coveredBy: m.coveredBy } : {}),
      ...(m.static ? { static: true } : {}),
    })),
  }]));
  const testFiles = Object.fromEntries(Object.entries(report.testFiles ?? {}).sort(([a], [b]) => a.localeCompare(b)).map(([name, file]) => [name, {
    source: file.source,
    tests: file.tests.map((t) => ({ id: t.id, name: t.name, ...(t.location ? { location: t.location } : {}) })),
  }]));
  const baseline = { schemaVersion: report.schemaVersion, thresholds: report.thresholds, files, testFiles };
  mkdirSync(path.dirname(to), { recursive: true });
  writeFileSync(to, `${JSON.stringify(baseline)}\n`);
  console.log(`baseline written: ${path.relative(ROOT, to)} (${(readFileSync(to).length / 1024).toFixed(0)} KB)`);
}

const report = JSON.parse(readFileSync(reportFile, 'utf8'));
const isSecurityCritical = (file) => SECURITY_CRITICAL.some((glob) => path.matchesGlob(file, glob));
const short = [];
console.log('\nmutation score per file (killed + timeout) / (all valid mutants):');
for (const [file, { mutants }] of Object.entries(report.files).sort()) {
  const valid = mutants.filter((m) => m.status !== 'CompileError' && m.status !== 'RuntimeError' && m.status !== 'Ignored');
  if (valid.length === 0) continue;
  const detected = valid.filter((m) => m.status === 'Killed' || m.status === 'Timeout').length;
  const score = (100 * detected) / valid.length;
  const target = isSecurityCritical(file) ? SECURITY_TARGET : DEFAULT_TARGET;
  const mark = score >= target ? 'ok ' : 'LOW';
  console.log(`  ${mark} ${score.toFixed(1).padStart(5)} % (target ${target}) ${String(valid.length - detected).padStart(4)} left  ${file}`);
  if (score < target) short.push(file);
}
if (short.length) {
  console.log(`\n${short.length} file(s) below target.`);
  process.exit(process.env.MUTATION_REPORT_ONLY === '1' ? 0 : 1);
}
console.log('\nevery file meets its target.');
if (status !== 0) process.exit(status);
