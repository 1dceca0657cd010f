// Shared plumbing for the scripts that drive the offline VS Code (code-server): fresh profile
// folders, installing .vsix files, Machine/settings.json, starting code-server on loopback,
// opening the workbench in headless Chromium, and tearing all of it down on exit.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { CHROMIUM, CODE_SERVER_BIN, FIXTURE_WORKSPACE, NODE_BIN, ROOT, hostEnv } from './paths.mjs';

const cleanups = [];
/** Registers a teardown step; they run in reverse order on exit, Ctrl-C or a crash. */
export function onCleanup(fn) {
  cleanups.push(fn);
}
let cleaning = null;
/** Runs the registered teardown steps; concurrent calls share one run, later calls start anew. */
export function cleanup() {
  cleaning ??= (async () => {
    while (cleanups.length) {
      try {
        await cleanups.pop()();
      } catch {
        /* best effort: keep tearing down the rest */
      }
    }
  })().finally(() => {
    cleaning = null;
  });
  return cleaning;
}
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    void cleanup().finally(() => process.exit(130));
  });
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** A fresh profile: user data, extensions, and a copy of the sample workspace. */
export function makeProfile(prefix = 'aiml-it-', { keep = process.env.KEEP_PROFILE === '1' } = {}) {
  const base = mkdtempSync(path.join(os.tmpdir(), prefix));
  const profile = {
    base,
    userDataDir: path.join(base, 'user-data'),
    extensionsDir: path.join(base, 'extensions'),
    workspace: path.join(base, 'workspace'),
  };
  mkdirSync(profile.userDataDir, { recursive: true });
  mkdirSync(profile.extensionsDir, { recursive: true });
  cpSync(FIXTURE_WORKSPACE, profile.workspace, { recursive: true });
  if (!keep) onCleanup(() => rmSync(base, { recursive: true, force: true }));
  else console.log(`[host] keeping profile in ${base}`);
  return profile;
}

/**
 * code-server runs the extension host as a remote one: machine-scoped settings (aimlChat.baseUrl)
 * are read from Machine/settings.json, not User/settings.json (DESIGN.md §3.7).
 */
export function writeMachineSettings(userDataDir, settings) {
  const dir = path.join(userDataDir, 'Machine');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'settings.json'), JSON.stringify(settings, null, 2));
}

/** User settings that keep the workbench quiet and deterministic for tests. */
export function writeUserSettings(userDataDir, extra = {}) {
  const dir = path.join(userDataDir, 'User');
  mkdirSync(dir, { recursive: true });
  const settings = {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'security.workspace.trust.enabled': false,
    'chat.disableAIFeatures': true,
    ...extra,
  };
  writeFileSync(path.join(dir, 'settings.json'), JSON.stringify(settings, null, 2));
}

export function installExtensions(profile, vsixFiles) {
  for (const vsix of vsixFiles) {
    const r = spawnSync(NODE_BIN, [CODE_SERVER_BIN, '--install-extension', vsix, '--force', '--extensions-dir', profile.extensionsDir, '--user-data-dir', profile.userDataDir], { env: hostEnv(), encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`installing ${path.basename(vsix)} failed:\n${r.stdout}\n${r.stderr}`);
    console.log(`[host] installed ${path.basename(vsix)}`);
  }
}

/** Starts code-server on 127.0.0.1 and resolves once it answers HTTP. */
export async function startCodeServer(profile, { port, env = {}, log = process.env.CODE_SERVER_LOG === '1' } = {}) {
  port ??= await freePort();
  const args = [CODE_SERVER_BIN, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--user-data-dir', profile.userDataDir, '--extensions-dir', profile.extensionsDir, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override', profile.workspace];
  // detached: its own process group, so teardown kills the extension host and watchers with it.
  const child = spawn(NODE_BIN, args, { env: hostEnv(env), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  const collect = (d) => {
    output += d;
    if (log) process.stderr.write(`[code-server] ${d}`);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  onCleanup(() => killTree(child));
  const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(profile.workspace)}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`code-server exited (${child.exitCode}):\n${output}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`code-server did not start within 60 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return { child, port, url, output: () => output };
}

export function killTree(child) {
  if (!child || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    child.kill('SIGTERM');
  }
}

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'];

/** Headless Chromium (Debian's) through playwright-core; closed on cleanup. */
export async function launchBrowser({ headless = process.env.HEADED !== '1' } = {}) {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless, args: CHROMIUM_ARGS });
  onCleanup(() => browser.close());
  return browser;
}

/** Starts the local AIML API stand-in (TypeScript, loaded through tsx) and stops it on cleanup. */
export async function startStandIn(options = {}) {
  const { tsImport } = await import('tsx/esm/api');
  const mod = await tsImport(path.join(ROOT, 'test', 'support', 'standin', 'index.ts'), import.meta.url);
  const startFn = mod.startStandIn ?? mod.default?.startStandIn;
  const standIn = await startFn({ host: '127.0.0.1', log: () => {}, ...options });
  onCleanup(() => standIn.close());
  return standIn;
}

/** Runs an npm script of the project, inheriting output; throws on failure. */
export function npmRun(script, extraArgs = []) {
  const r = spawnSync('npm', ['run', '--silent', script, ...extraArgs], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`npm run ${script} failed`);
}

export function timed(label) {
  const t = Date.now();
  return () => {
    const s = ((Date.now() - t) / 1000).toFixed(1);
    console.log(`[time] ${label}: ${s} s`);
    return Number(s);
  };
}
