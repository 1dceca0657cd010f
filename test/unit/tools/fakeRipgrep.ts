// A stand-in for ripgrep: a small shell script that records its arguments and the
// RIPGREP_CONFIG_PATH it saw, then does what the test says (print JSON events, write to stderr,
// sleep, exit with a code). POSIX only.
import { promises as fs, readFileSync } from 'node:fs';
import * as path from 'node:path';

let scripts = 0;

/** A stand-in for rg: records its arguments (one per line) and the RIPGREP_CONFIG_PATH it saw, then runs `body`. */
export async function fakeRipgrep(dir: string, body: string): Promise<{ rg: string; calls: () => string[][]; env: () => string[] }> {
  const n = ++scripts;
  const rg = path.join(dir, `rg${n}`);
  const log = path.join(dir, `args${n}.log`);
  const envLog = path.join(dir, `env${n}.log`);
  await fs.writeFile(log, '');
  await fs.writeFile(envLog, '');
  await fs.writeFile(rg, `#!/bin/sh\n{ printf '%s\\n' "$@"; echo '<end>'; } >> '${log}'\necho "config=\${RIPGREP_CONFIG_PATH-unset}" >> '${envLog}'\n${body}\n`, { mode: 0o755 });
  return {
    rg,
    calls: () => readFileSync(log, 'utf8').split('<end>\n').filter(Boolean).map((c) => c.split('\n').filter((l, i, all) => i < all.length - 1 || l !== '')),
    env: () => readFileSync(envLog, 'utf8').split('\n').filter(Boolean),
  };
}

export const match = (file: string, line: number, text: string) => JSON.stringify({ type: 'match', data: { path: { text: file }, lines: { text }, line_number: line } });
export const printLines = (lines: string[]) => lines.map((l) => `printf '%s\\n' '${l.replace(/'/g, `'\\''`)}'`).join('\n');

