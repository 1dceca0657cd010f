#!/usr/bin/env node
// `npm run test:electron`: the integration suites under @vscode/test-electron (a downloaded
// desktop VS Code) where one can be downloaded: a developer laptop or public CI. Offline machines
// (like the project's own CI, which reaches only npm and Debian) use `npm run test:integration`.
// Without network this fails with a clear message; ALLOW_NO_ELECTRON=1 turns that into a skip.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, FIXTURE_WORKSPACE } from './lib/paths.mjs';
import { npmRun, startStandIn, cleanup, onCleanup } from './lib/host.mjs';
import { buildRunner, RUNNER_STAGE } from './lib/runner-build.mjs';

async function main() {
  const { downloadAndUnzipVSCode, runTests } = await import('@vscode/test-electron');
  let vscodePath;
  try {
    vscodePath = await downloadAndUnzipVSCode({ version: process.env.VSCODE_VERSION ?? 'stable', timeout: 30_000 });
  } catch (err) {
    const msg = `[electron] cannot download VS Code (${err.message?.split('\n')[0]}). This machine is probably offline; ` +
      'use `npm run test:integration` (code-server) instead.';
    if (process.env.ALLOW_NO_ELECTRON === '1') {
      console.log(`${msg}\n[electron] skipped (ALLOW_NO_ELECTRON=1)`);
      return 0;
    }
    console.error(`${msg}\n[electron] set ALLOW_NO_ELECTRON=1 to treat this as a skip.`);
    return 1;
  }
  npmRun('build');
  await buildRunner();
  const base = mkdtempSync(path.join(os.tmpdir(), 'aiml-electron-'));
  onCleanup(() => rmSync(base, { recursive: true, force: true }));
  const userDataDir = path.join(base, 'user-data');
  const workspace = path.join(base, 'workspace');
  cpSync(FIXTURE_WORKSPACE, workspace, { recursive: true });
  const standIn = await startStandIn();
  // Desktop VS Code reads machine-scoped settings from the user settings file.
  mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify({ 'aimlChat.baseUrl': standIn.url, 'workbench.startupEditor': 'none' }, null, 2));
  await runTests({
    vscodeExecutablePath: vscodePath,
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: path.join(RUNNER_STAGE, 'dist', 'runner.js'),
    launchArgs: [workspace, '--user-data-dir', userDataDir, '--disable-extensions', '--disable-workspace-trust'],
    extensionTestsEnv: { AIML_CHAT_TEST_MODE: '1', AIML_STANDIN_URL: standIn.url, AIML_TEST_USER_DATA_DIR: userDataDir, AIML_TEST_WORKSPACE: workspace },
  });
  return 0;
}

let code = 1;
try {
  code = await main();
} catch (err) {
  console.error(`[electron] ${err.message}`);
} finally {
  await cleanup();
}
process.exit(code);
