// Builds and packages the test-runner extension: its own entry (with mocha bundled in) and every
// test/integration/**/*.test.ts bundled into one suites.js that the entry requires at run time.
import * as esbuild from 'esbuild';
import { mkdirSync, rmSync, readdirSync, statSync, writeFileSync, cpSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ROOT, RUNNER_DIR, RUNNER_VSIX } from './paths.mjs';

// Built and staged in the ignored cache, not under test/: generated bundles stay out of lint and git.
export const RUNNER_STAGE = path.join(ROOT, '.vscode-test', 'runner-stage');

function findTests(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...findTests(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out.sort();
}

export async function buildRunner() {
  rmSync(RUNNER_STAGE, { recursive: true, force: true });
  const dist = path.join(RUNNER_STAGE, 'dist');
  mkdirSync(dist, { recursive: true });
  const tests = findTests(path.join(ROOT, 'test', 'integration'));
  // One virtual entry importing every suite, so they share one copy of the helpers they import.
  const entry = tests.map((t) => `require(${JSON.stringify(t)});`).join('\n');
  // mocha's parallel mode (worker files) is never used in the extension host: silence its warnings.
  const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'], sourcemap: 'inline', logLevel: 'warning', logOverride: { 'require-resolve-not-external': 'silent' } };
  await Promise.all([
    esbuild.build({ ...common, entryPoints: [path.join(RUNNER_DIR, 'src', 'runner.ts')], outfile: path.join(dist, 'runner.js'), external: ['vscode', './suites.js'] }),
    esbuild.build({ ...common, stdin: { contents: entry, resolveDir: ROOT, sourcefile: 'suites.ts', loader: 'js' }, outfile: path.join(dist, 'suites.js') }),
  ]);
  return tests;
}

/** Zips the runner into a .vsix with vsce (no dependencies: everything is bundled). */
export function packageRunner() {
  mkdirSync(path.dirname(RUNNER_VSIX), { recursive: true });
  // vsce wants a README and LICENSE; they are written into the staging folder only.
  const stage = RUNNER_STAGE;
  cpSync(path.join(RUNNER_DIR, 'package.json'), path.join(stage, 'package.json'));
  writeFileSync(path.join(stage, 'README.md'), '# AIML Chat test runner\n\nRuns the integration suites. Test only.\n');
  cpSync(path.join(ROOT, 'LICENSE'), path.join(stage, 'LICENSE'));
  const vsce = path.join(ROOT, 'node_modules', '.bin', 'vsce');
  const r = spawnSync(vsce, ['package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '-o', RUNNER_VSIX], { cwd: stage, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`packaging the runner failed:\n${r.stdout}\n${r.stderr}`);
  return RUNNER_VSIX;
}
