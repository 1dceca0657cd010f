import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { authHeaders, postJson } from '../../support/standin/test-client';
import { request } from './helpers';

const root = path.resolve(__dirname, '..', '..', '..');

describe('stand-in: CLI', function () {
  // Starting tsx and compiling the schema takes a few seconds.
  this.timeout(30000);

  it('prints its URL, accepts any key with --any-key, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'test/support/standin/cli.ts', '--port', '0', '--any-key', '--quiet'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let output = '';
        child.stdout.on('data', (data: Buffer) => {
          output += data.toString();
          const match = /AIML stand-in listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
          if (match) resolve(match[1]);
        });
        child.on('exit', () => reject(new Error(`exited early: ${output}`)));
      });
      assert.equal((await (await fetch(`${url}/__standin/health`)).json() as { ok: boolean }).ok, true);
      assert.equal((await postJson(`${url}/v1/messages`, request(), authHeaders('any-sandbox-key'))).status, 200);
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
