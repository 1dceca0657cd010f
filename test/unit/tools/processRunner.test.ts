// The child-process fallback of run_command, with real processes: output and exit code, the
// timeout and Stop kill the command and what it started, output stays bounded.
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { BoundedOutput, ProcessCommandRunner } from '../../../src/host/tools/processRunner';
import { tempDir } from './fakeHost';

const node = JSON.stringify(process.execPath);

describe('run_command child process (processRunner)', function () {
  this.timeout(20_000);
  const runner = new ProcessCommandRunner();
  const request = (command: string, cwd: string, timeoutMs = 10_000, signal = new AbortController().signal) => ({ command, cwd, timeoutMs, signal });

  it('runs in the working folder and reports output and exit code', async () => {
    const dir = tempDir();
    const result = await runner.run(request(`${node} -e "console.log(process.cwd()); console.error('to stderr'); process.exit(3)"`, dir), 'no shell integration');
    assert.equal(result.via, 'process');
    assert.equal(result.exitCode, 3);
    assert.equal(result.timedOut, false);
    assert.equal(result.note, 'no shell integration');
    assert.match(result.output, new RegExp(dir.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')));
    assert.match(result.output, /to stderr/);
  });

  it('kills a command that outlives its timeout, children included', async () => {
    const dir = tempDir();
    const started = Date.now();
    // The shell (kept alive by the `;`) starts node, which would write the marker after 3 s: killing
    // only the shell would leave node running.
    const result = await runner.run(request(`${node} -e "setTimeout(() => require('fs').writeFileSync('late.txt', 'x'), 3000)"; echo after`, dir, 500));
    assert.equal(result.timedOut, true);
    assert.equal(result.exitCode, undefined);
    assert.ok(Date.now() - started < 2500, 'returned soon after the timeout');
    await new Promise((r) => setTimeout(r, 3500));
    assert.equal(existsSync(path.join(dir, 'late.txt')), false, 'the killed command never finished');
  });

  it('Stop (the turn signal) kills the command and rejects', async () => {
    const dir = tempDir();
    const controller = new AbortController();
    const running = runner.run(request(`${node} -e "setTimeout(() => require('fs').writeFileSync('late.txt', 'x'), 2000)"; echo after`, dir, 10_000, controller.signal));
    setTimeout(() => controller.abort(), 300);
    await assert.rejects(running, { name: 'AbortError' });
    await new Promise((r) => setTimeout(r, 2500));
    assert.equal(existsSync(path.join(dir, 'late.txt')), false);
  });

  it('keeps head and tail of huge output, naming what it dropped', () => {
    const out = new BoundedOutput();
    out.push('HEAD');
    for (let i = 0; i < 300; i++) out.push('x'.repeat(1024));
    out.push('TAIL');
    const text = out.text();
    assert.ok(text.startsWith('HEAD'));
    assert.ok(text.endsWith('TAIL'));
    assert.match(text, /\[… \d+ characters not kept …\]/);
    assert.ok(text.length < 140 * 1024);
  });
});
