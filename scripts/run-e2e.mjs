#!/usr/bin/env node
// `npm run test:e2e`: provisions the test host, packages the extension once, then runs mocha on
// test/e2e/**/*.test.ts; each suite starts its own stand-in, code-server and browser
// (test/e2e/support/workbench.ts). Extra arguments go to mocha (e.g. --grep).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ROOT, VSIX } from './lib/paths.mjs';
import { npmRun, timed } from './lib/host.mjs';

const args = process.argv.slice(2);
const noPackage = args.includes('--no-package');
const mochaArgs = args.filter((a) => a !== '--no-package');

const total = timed('e2e total');
const prov = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'provision-test-host.mjs')], { stdio: 'inherit' });
if (prov.status !== 0) process.exit(1);
if (!noPackage || !existsSync(VSIX)) {
  const t = timed('package');
  npmRun('package');
  t();
}
const mocha = path.join(ROOT, 'node_modules', '.bin', 'mocha');
const r = spawnSync(mocha, ['--config', '.mocharc.json', '--timeout', '60000', '--exit', 'test/e2e/**/*.test.ts', ...mochaArgs], { cwd: ROOT, stdio: 'inherit' });
total();
process.exit(r.status ?? 1);
