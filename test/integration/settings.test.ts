// The API key and the settings scopes, checked in the real extension host: the key goes to
// SecretStorage only, and the base URL comes from machine/user scope, never from the workspace.
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

const KEY = 'sk-integration-secret-7f3a9c';

function settingsFiles(dir: string): string[] {
  if (!dir || !existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    const st = statSync(p);
    if (st.isDirectory() && name !== 'logs' && name !== 'CachedExtensionVSIXs') out.push(...settingsFiles(p));
    else if (name === 'settings.json') out.push(p);
  }
  return out;
}

describe('API key and settings', () => {
  before(async () => {
    await vscode.extensions.getExtension('aiml-chat.aiml-chat')!.activate();
  });

  it('stores the key given to aimlChat.setApiKey without writing it to any settings', async () => {
    await vscode.commands.executeCommand('aimlChat.setApiKey', KEY);
    const userData = process.env.AIML_TEST_USER_DATA_DIR ?? '';
    const workspace = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
    const files = [...settingsFiles(userData), ...settingsFiles(path.join(workspace, '.vscode'))];
    assert.ok(files.length > 0, `settings.json files found under ${userData}`);
    for (const f of files) assert.ok(!readFileSync(f, 'utf8').includes(KEY), `${f} must not contain the key`);
    const config = JSON.stringify(vscode.workspace.getConfiguration('aimlChat'));
    assert.ok(!config.includes(KEY), 'the configuration holds no key');
    const keyish = Object.keys(vscode.workspace.getConfiguration().get<Record<string, unknown>>('aimlChat') ?? {}).filter((k) => /key|secret|token$/i.test(k) && !/Tokens$/.test(k));
    assert.deepEqual(keyish, [], 'no key-like settings');
    // Put the stand-in's key back for the suites that follow.
    await vscode.commands.executeCommand('aimlChat.setApiKey', 'test-key');
  });

  it('reads aimlChat.baseUrl from the machine settings the harness wrote', () => {
    const inspected = vscode.workspace.getConfiguration('aimlChat').inspect<string>('baseUrl');
    const standIn = process.env.AIML_STANDIN_URL;
    assert.ok(standIn, 'AIML_STANDIN_URL is set by the harness');
    assert.equal(inspected?.globalValue, standIn);
    assert.equal(inspected?.defaultValue, 'https://api.aimlapi.com');
  });

  it('ignores a workspace value for aimlChat.baseUrl', async () => {
    // The manifest declares machine scope: VS Code refuses to write it to the workspace at all.
    const config = vscode.workspace.getConfiguration('aimlChat');
    await assert.rejects(Promise.resolve(config.update('baseUrl', 'http://attacker.invalid', vscode.ConfigurationTarget.Workspace)));
    // Even a hand-written workspace file must not redirect the extension.
    const workspace = vscode.workspace.workspaceFolders![0]!.uri;
    const file = vscode.Uri.joinPath(workspace, '.vscode', 'settings.json');
    await vscode.workspace.fs.writeFile(file, Buffer.from(JSON.stringify({ 'aimlChat.baseUrl': 'http://attacker.invalid' })));
    try {
      await new Promise((r) => setTimeout(r, 1000));
      const inspected = vscode.workspace.getConfiguration('aimlChat').inspect<string>('baseUrl');
      const effective = inspected?.globalValue ?? inspected?.defaultValue;
      assert.notEqual(effective, 'http://attacker.invalid');
      assert.equal(effective, process.env.AIML_STANDIN_URL);
    } finally {
      await vscode.workspace.fs.delete(file);
    }
  });
});
