#!/usr/bin/env node
// `npm run test:integration`: runs test/integration/**/*.test.ts inside a real VS Code extension
// host (code-server, DESIGN.md §3) against the local AIML API stand-in.
//   1. provision the host (no-op when done), package the extension and the test-runner extension
//   2. fresh profile: install both .vsix, Machine/settings.json with aimlChat.baseUrl = stand-in
//   3. start the stand-in and code-server on loopback, open the workbench in headless Chromium
//   4. the runner extension runs mocha in the extension host and writes JSON; print it, exit 0/1
// Options: --grep PATTERN (or AIML_TEST_GREP), --no-package (reuse dist/aiml-chat.vsix),
// KEEP_PROFILE=1 keeps the temp profile, CODE_SERVER_LOG=1 echoes code-server's output.
// Adding a suite: drop a test/integration/NAME.test.ts file; nothing to register.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ROOT, VSIX, RESULTS_DIR } from './lib/paths.mjs';
import { cleanup, installExtensions, launchBrowser, makeProfile, npmRun, startCodeServer, startStandIn, timed, writeMachineSettings, writeUserSettings } from './lib/host.mjs';
import { buildRunner, packageRunner } from './lib/runner-build.mjs';

const args = process.argv.slice(2);
const grep = args.includes('--grep') ? args[args.indexOf('--grep') + 1] : process.env.AIML_TEST_GREP;
const RESULT_TIMEOUT_MS = Number(process.env.AIML_IT_TIMEOUT_MS ?? 5 * 60_000);

async function main() {
  const total = timed('integration total');
  const prov = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'provision-test-host.mjs')], { stdio: 'inherit' });
  if (prov.status !== 0) throw new Error('provisioning failed');

  if (!args.includes('--no-package') || !existsSync(VSIX)) {
    const t = timed('package');
    npmRun('package');
    t();
  }
  const tb = timed('build runner');
  const suites = await buildRunner();
  const runnerVsix = packageRunner();
  tb();
  console.log(`[it] ${suites.length} suite file(s): ${suites.map((s) => path.relative(ROOT, s)).join(', ')}`);

  const profile = makeProfile('aiml-it-');
  const ti = timed('install extensions');
  installExtensions(profile, [VSIX, runnerVsix]);
  ti();

  const standIn = await startStandIn();
  console.log(`[it] stand-in on ${standIn.url}`);
  writeMachineSettings(profile.userDataDir, { 'aimlChat.baseUrl': standIn.url });
  writeUserSettings(profile.userDataDir);
  const resultsFile = path.join(profile.base, 'results.json');
  const testEnv = {
    AIML_TEST_RESULTS: resultsFile,
    AIML_STANDIN_URL: standIn.url,
    AIML_TEST_USER_DATA_DIR: profile.userDataDir,
    AIML_TEST_WORKSPACE: profile.workspace,
    // Registers the test-only commands and honours test-only arguments (src/host/testCommands.ts).
    AIML_CHAT_TEST_MODE: '1',
    ...(grep ? { AIML_TEST_GREP: grep } : {}),
  };
  // The same facts as a file, for suites that prefer reading them to env variables.
  writeFileSync(path.join(profile.userDataDir, 'aiml-test-env.json'), JSON.stringify(testEnv, null, 2));

  const ts = timed('code-server start');
  const server = await startCodeServer(profile, { env: testEnv });
  ts();
  const browser = await launchBrowser();
  const page = await browser.newPage();
  const tw = timed('workbench + suites');
  await page.goto(server.url);

  const deadline = Date.now() + RESULT_TIMEOUT_MS;
  while (!existsSync(resultsFile)) {
    if (Date.now() > deadline) {
      await saveScreenshot(page, 'integration-timeout');
      throw new Error(`no results after ${RESULT_TIMEOUT_MS / 1000} s; code-server output:\n${server.output().slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  tw();
  const results = JSON.parse(readFileSync(resultsFile, 'utf8'));
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(path.join(RESULTS_DIR, 'integration.json'), JSON.stringify(results, null, 2));
  report(results);
  total();
  return results.stats.failures === 0 && results.stats.passes + results.stats.pending > 0 ? 0 : 1;
}

async function saveScreenshot(page, name) {
  try {
    mkdirSync(RESULTS_DIR, { recursive: true });
    const file = path.join(RESULTS_DIR, `${name}.png`);
    await page.screenshot({ path: file });
    console.error(`[it] screenshot: ${path.relative(ROOT, file)}`);
  } catch {
    /* the page may be gone */
  }
}

/** Mocha-style output so scripts/test.mjs can count it like any other mocha run. */
function report(results) {
  console.log('');
  for (const line of results.lines) console.log(`  ${line}`);
  const { passes, failures, pending, durationMs } = results.stats;
  console.log('');
  console.log(`  ${passes} passing (${Math.round(durationMs)}ms)`);
  if (pending) console.log(`  ${pending} pending`);
  if (failures) console.log(`  ${failures} failing`);
  results.failures.forEach((f, i) => {
    console.log(`\n  ${i + 1}) ${f.fullTitle}:\n     ${(f.stack ?? f.error ?? '').split('\n').join('\n     ')}`);
  });
  console.log('');
}

let code = 1;
try {
  code = await main();
} catch (err) {
  console.error(`[it] ERROR: ${err.message}`);
} finally {
  await cleanup();
}
process.exit(code);
