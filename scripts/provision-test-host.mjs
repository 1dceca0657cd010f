#!/usr/bin/env node
// Provisions the offline VS Code test host (DESIGN.md §3): Node 24 from npm, code-server (which is
// Code-OSS) built against it, and Debian's Chromium for Playwright. Idempotent: a stamp file makes a
// second run a no-op, so every test script can call it first.
import { existsSync, mkdirSync, writeFileSync, symlinkSync, rmSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { HOST_DIR, NODE_DIR, NODE_BIN, CODE_SERVER_BIN, CODE_SERVER_VERSION, STAMP, CHROMIUM, hostEnv } from './lib/paths.mjs';
import { withLock } from './lib/lock.mjs';

const started = Date.now();
const log = (msg) => console.log(`[provision] ${msg}`);
const KRB5_HEADER = '/usr/include/krb5.h';

function run(cmd, args, opts = {}) {
  log(`$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
}

function systemPackagesMissing() {
  const missing = [];
  if (!existsSync(CHROMIUM)) missing.push('chromium');
  if (!existsSync(KRB5_HEADER)) missing.push('libkrb5-dev');
  return missing;
}

function isComplete() {
  return existsSync(STAMP) && existsSync(NODE_BIN) && existsSync(CODE_SERVER_BIN) && systemPackagesMissing().length === 0;
}

function installSystemPackages() {
  const missing = systemPackagesMissing();
  if (missing.length === 0) return log('chromium and krb5 headers present');
  const asRoot = process.getuid?.() === 0;
  const prefix = asRoot ? [] : ['sudo', '-n'];
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (...args) => run(prefix[0] ?? 'apt-get', prefix.length ? [...prefix.slice(1), 'apt-get', ...args] : args, { env });
  // Wait for dpkg's lock rather than fail when another apt-get is running (CI images, other tools).
  const wait = ['-o', 'DPkg::Lock::Timeout=600'];
  apt(...wait, 'update');
  apt(...wait, 'install', '-y', '--no-install-recommends', ...missing);
}

function installNode24() {
  if (existsSync(NODE_BIN)) log(`node 24 present: ${NODE_BIN}`);
  else run('npm', ['install', '--no-audit', '--no-fund', '--no-save', 'node@24'], { cwd: HOST_DIR });
  // node-gyp looks for common.gypi/config.gypi at the nodedir root; the npm package has them under include/node.
  for (const f of ['common.gypi', 'config.gypi']) {
    const link = path.join(NODE_DIR, f);
    if (!existsSync(link)) symlinkSync(path.join('include', 'node', f), link);
  }
  const v = spawnSync(NODE_BIN, ['--version'], { encoding: 'utf8' }).stdout.trim();
  if (!v.startsWith('v24.')) throw new Error(`expected Node 24 in ${NODE_BIN}, got ${v}`);
  log(`node ${v}`);
}

function installCodeServer() {
  if (existsSync(CODE_SERVER_BIN)) {
    const pkg = JSON.parse(readFileSync(path.join(HOST_DIR, 'node_modules', 'code-server', 'package.json'), 'utf8'));
    if (pkg.version === CODE_SERVER_VERSION) return log(`code-server ${pkg.version} present`);
  }
  log(`installing code-server@${CODE_SERVER_VERSION} (about 1.5 min, 620 MB)…`);
  // Both packages in one install so npm does not prune node@24 from the folder.
  run('npm', ['install', '--no-audit', '--no-fund', '--no-save', 'node@24', `code-server@${CODE_SERVER_VERSION}`], {
    cwd: HOST_DIR,
    env: hostEnv(),
  });
}

async function main() {
  if (isComplete()) {
    log(`test host ready (${path.relative(process.cwd(), HOST_DIR)}), nothing to do [${Date.now() - started} ms]`);
    return;
  }
  mkdirSync(HOST_DIR, { recursive: true });
  await withLock(path.join(HOST_DIR, '..', 'provision.lock'), async () => {
    if (isComplete()) return log('another process finished provisioning');
    // A package.json of its own stops npm from walking up into the project's package.json.
    const pkgJson = path.join(HOST_DIR, 'package.json');
    if (!existsSync(pkgJson)) writeFileSync(pkgJson, JSON.stringify({ name: 'aiml-chat-test-host', private: true }, null, 2));
    rmSync(STAMP, { force: true });
    installSystemPackages();
    installNode24();
    installCodeServer();
    const v = spawnSync(NODE_BIN, [CODE_SERVER_BIN, '--version'], { encoding: 'utf8', env: hostEnv() });
    if (v.status !== 0) throw new Error(`code-server --version failed: ${v.stderr}`);
    log(`code-server ${v.stdout.trim().split('\n')[0]}`);
    writeFileSync(STAMP, `${new Date().toISOString()}\n`);
  });
  log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((err) => {
  console.error(`[provision] FAILED: ${err.message}`);
  process.exit(1);
});
