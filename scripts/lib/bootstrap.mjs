// Makes `npm test` and `npm run sandbox` work on a fresh clone by themselves: installs the locked
// npm dependencies when they are missing or older than package-lock.json, and provisions the
// offline VS Code host (a no-op once done). Uses only Node built-ins, so it runs before `npm ci`.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './paths.mjs';

export function ensureDependencies() {
  const installed = path.join(ROOT, 'node_modules', '.package-lock.json');
  const lock = path.join(ROOT, 'package-lock.json');
  if (existsSync(installed) && statSync(installed).mtimeMs >= statSync(lock).mtimeMs) return;
  console.log('[bootstrap] installing npm dependencies (npm ci)…');
  const run = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: ROOT, stdio: 'inherit' });
  if (run.status !== 0) throw new Error('npm ci failed');
}

export function ensureTestHost() {
  const run = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'provision-test-host.mjs')], { cwd: ROOT, stdio: 'inherit' });
  if (run.status !== 0) throw new Error('provisioning the offline VS Code host failed');
}
