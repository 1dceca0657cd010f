#!/usr/bin/env node
// `npm run sandbox`: try the packaged extension in a real VS Code in your browser.
//   - builds and packages dist/aiml-chat.vsix, provisions code-server (once), installs the vsix into
//     a persistent profile under .sandbox/ (conversations and settings survive restarts)
//   - without AIML_API_KEY: starts the local stand-in (accepts any key, streams slowly enough to
//     watch) and points aimlChat.baseUrl at it through Machine/settings.json
//   - with AIML_API_KEY set: leaves baseUrl at the real gateway (https://api.aimlapi.com)
//   - starts code-server on 127.0.0.1:${PORT:-8080} with .sandbox/workspace and prints the URL
// Ctrl-C stops everything it started. The key is never passed on the command line or written to
// disk by this script: SecretStorage is filled through the extension's own password box.
import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, VSIX, FIXTURE_WORKSPACE } from './lib/paths.mjs';
import { ensureDependencies, ensureTestHost } from './lib/bootstrap.mjs';
import { installExtensions, npmRun, startCodeServer, startStandIn, writeMachineSettings, writeUserSettings, cleanup } from './lib/host.mjs';

const SANDBOX = path.join(ROOT, '.sandbox');
const port = Number(process.env.PORT ?? 8080);
const realGateway = Boolean(process.env.AIML_API_KEY);

async function main() {
  ensureDependencies();
  ensureTestHost();
  npmRun('package');

  const profile = {
    base: SANDBOX,
    userDataDir: path.join(SANDBOX, 'user-data'),
    extensionsDir: path.join(SANDBOX, 'extensions'),
    workspace: path.join(SANDBOX, 'workspace'),
  };
  for (const dir of [profile.userDataDir, profile.extensionsDir]) mkdirSync(dir, { recursive: true });
  if (!existsSync(profile.workspace)) cpSync(FIXTURE_WORKSPACE, profile.workspace, { recursive: true });
  installExtensions(profile, [VSIX]);

  const machineFile = path.join(profile.userDataDir, 'Machine', 'settings.json');
  const machine = existsSync(machineFile) ? safeJson(readFileSync(machineFile, 'utf8')) : {};
  let standIn;
  if (realGateway) {
    delete machine['aimlChat.baseUrl'];
  } else {
    standIn = await startStandIn({ anyKey: true, tokenDelayMs: 15, port: Number(process.env.STANDIN_PORT ?? 0) });
    machine['aimlChat.baseUrl'] = standIn.url;
  }
  writeMachineSettings(profile.userDataDir, machine);
  if (!existsSync(path.join(profile.userDataDir, 'User', 'settings.json'))) writeUserSettings(profile.userDataDir);

  const server = await startCodeServer(profile, { port, log: process.env.CODE_SERVER_LOG === '1' });
  const line = '-'.repeat(72);
  console.log(`\n${line}\nAIML Chat sandbox is running.\n\n  Open:  ${server.url}\n`);
  if (standIn) {
    console.log(`  API:   local stand-in at ${standIn.url} (accepts any key)`);
    console.log('  First: F1 → "AIML Chat: Set API Key" → type any text (e.g. sandbox-key) → Enter.');
    console.log('  Try prompts like "show me [[scenario:markdown]]", "read README.md", "[[fault:midStreamError:once]] hi".');
  } else {
    console.log('  API:   the real gateway https://api.aimlapi.com (AIML_API_KEY is set)');
    console.log('  First: F1 → "AIML Chat: Set API Key" → paste your key (it goes to SecretStorage only).');
  }
  console.log(`\n  Profile: ${path.relative(ROOT, SANDBOX)}/ (delete it for a fresh start). Ctrl-C stops.\n${line}`);
  await new Promise((resolve) => server.child.on('exit', resolve));
  console.log('[sandbox] code-server exited');
}

function safeJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}

let code = 0;
try {
  await main();
} catch (err) {
  console.error(`[sandbox] ${err.message}`);
  code = 1;
} finally {
  await cleanup();
}
process.exit(code);
