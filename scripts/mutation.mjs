#!/usr/bin/env node
// `npm run mutation` (all of src/core and src/shared) and `npm run mutation:security` (the tools,
// the key redaction and the approval/confinement code only, incremental): runs Stryker, then holds
// each file to its target from docs/TESTING.md and exits non-zero when one falls short.
// The HTML report is reports/mutation/index.html (git-ignored).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Security-critical code: at least 95 % of its mutants must be killed. */
export const SECURITY_CRITICAL = ['src/core/tools/**/*.ts', 'src/core/api/redaction.ts', 'src/core/api/errors.ts', 'src/core/security/**/*.ts'];
const SECURITY_TARGET = 95;
const DEFAULT_TARGET = 85;

const security = process.argv.includes('--security');
const env = { ...process.env };
if (security) {
  env.MUTATE ??= SECURITY_CRITICAL.join(',');
  env.STRYKER_INCREMENTAL ??= '1';
}
// Stryker runs the unit tests in a sandbox copy without .vscode-test, so the tests that need the
// ripgrep of the provisioned VS Code host (test/unit/tools/fakeHost.ts) are pointed at it here.
const hostRipgrep = path.join(ROOT, '.vscode-test', 'host', 'node_modules', 'code-server', 'lib', 'vscode', 'node_modules', '@vscode', 'ripgrep-universal', 'bin', `${process.platform}-${process.arch}`, 'rg');
if (!env.AIML_TEST_RIPGREP && existsSync(hostRipgrep)) env.AIML_TEST_RIPGREP = hostRipgrep;
const run = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', '@stryker-mutator', 'core', 'bin', 'stryker.js'), 'run'], { cwd: ROOT, env, stdio: 'inherit' });
if (run.status !== 0) process.exit(run.status ?? 1);

const report = JSON.parse(readFileSync(path.join(ROOT, 'reports', 'mutation', 'mutation.json'), 'utf8'));
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
