// search_text's engine: the ripgrep executable VS Code ships (its own workspace search uses it),
// run out of process. Its regex engine (Rust `regex`) runs in time linear in the input, rejects
// what cannot be (backreferences, look-around), and the process can be killed: a time budget and
// the turn's Stop end it without ever blocking the extension host's thread. It is handed only the
// real paths of files the content gate let through, so it never follows a link on its own.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';

/** Where VS Code builds keep ripgrep under `vscode.env.appRoot` (desktop, packed desktop, code-server / web). */
export function findRipgrep(appRoot: string, platform: string = process.platform, arch: string = process.arch): string | undefined {
  const exe = platform === 'win32' ? 'rg.exe' : 'rg';
  const candidates = [
    path.join(appRoot, 'node_modules', '@vscode', 'ripgrep', 'bin', exe),
    path.join(appRoot, 'node_modules.asar.unpacked', '@vscode', 'ripgrep', 'bin', exe),
    path.join(appRoot, 'node_modules', '@vscode', 'ripgrep-universal', 'bin', `${platform}-${arch}`, exe),
  ];
  return candidates.find((c) => existsSync(c));
}

export interface TextQuery {
  pattern: string;
  isRegex: boolean;
  caseSensitive: boolean;
}

export interface TextHit {
  absPath: string;
  /** 1-based. */
  line: number;
  text: string;
}

export type TextSearchResult =
  | { ok: true; hits: TextHit[]; stopped?: 'time_budget' | 'aborted' }
  | { ok: false; kind: 'invalid_pattern' | 'search_failed'; message: string };

export interface SearchLimits {
  maxHits: number;
  /** Wall-clock budget for the whole search; past it the process is killed and what was found is kept. */
  timeoutMs: number;
  signal: AbortSignal;
  /** Files larger than this are skipped by ripgrep itself. */
  maxFileBytes: number;
}

/** Command lines stay well under Windows' 32 K characters; longer file lists run in several rounds. */
const MAX_ARGS_CHARS = 24_000;
const MAX_LINE_CHARS = 1000;

function chunks(files: readonly string[]): string[][] {
  const out: string[][] = [];
  let current: string[] = [];
  let size = 0;
  for (const f of files) {
    if (current.length && size + f.length + 1 > MAX_ARGS_CHARS) { out.push(current); current = []; size = 0; }
    current.push(f);
    size += f.length + 1;
  }
  if (current.length) out.push(current);
  return out;
}

function argsFor(query: TextQuery, limits: SearchLimits, files: string[]): string[] {
  return [
    // --no-config: a RIPGREP_CONFIG_PATH file could otherwise switch on --pcre2 (backtracking) or --follow.
    '--json', '--no-config', '--no-messages', '--no-follow',
    '--max-filesize', String(limits.maxFileBytes), '--max-columns', String(MAX_LINE_CHARS), '--max-columns-preview',
    '--max-count', String(limits.maxHits + 1),
    query.caseSensitive ? '--case-sensitive' : '--ignore-case',
    ...(query.isRegex ? [] : ['--fixed-strings']),
    '-e', query.pattern, '--', ...files,
  ];
}

interface RgMatch { type: string; data?: { path?: { text?: string }; lines?: { text?: string }; line_number?: number } }

function runOnce(rgPath: string, args: string[], deadline: number, limits: SearchLimits, room: number): Promise<TextSearchResult> {
  return new Promise((resolve) => {
    const env = { ...process.env };
    delete env.RIPGREP_CONFIG_PATH;
    // Stryker disable next-line BooleanLiteral: windowsHide only matters on Windows (no console window); platform-only.
    const child = spawn(rgPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env, windowsHide: true });
    const hits: TextHit[] = [];
    let stderr = '';
    let pending = '';
    let stopped: 'time_budget' | 'aborted' | undefined;
    let full = false;
    const stop = (why?: 'time_budget' | 'aborted') => {
      if (why && !stopped) stopped = why;
      child.kill();
    };
    const timer = setTimeout(() => stop('time_budget'), Math.max(0, deadline - Date.now()));
    const onAbort = () => stop('aborted');
    // Stryker disable next-line ObjectLiteral,BooleanLiteral: equivalent; a signal aborts once, and finish() removes the listener either way.
    limits.signal.addEventListener('abort', onAbort, { once: true });
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      pending += chunk;
      let nl: number;
      while ((nl = pending.indexOf('\n')) !== -1) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        if (full || !line.startsWith('{"type":"match"')) continue;
        try {
          const event = JSON.parse(line) as RgMatch;
          const file = event.data?.path?.text;
          if (file === undefined || typeof event.data?.line_number !== 'number') continue;
          hits.push({ absPath: file, line: event.data.line_number, text: (event.data.lines?.text ?? '').replace(/\r?\n$/, '') });
          if (hits.length >= room) { full = true; stop(); }
        } catch { /* a line that is not JSON is ripgrep's business, not a hit */ }
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => { if (stderr.length < 4000) stderr += chunk; });
    const finish = (code: number | null, spawnError?: Error) => {
      clearTimeout(timer);
      limits.signal.removeEventListener('abort', onAbort);
      if (spawnError) { resolve({ ok: false, kind: 'search_failed', message: `ripgrep could not start: ${spawnError.message}` }); return; }
      // Exit code 2 with nothing found and a message: the pattern (or the command) was refused.
      // (A full run has found something: `room` is at least 1.)
      if (code === 2 && !hits.length && !stopped && stderr.trim()) {
        const message = stderr.trim().replace(/^rg: /, '');
        const pattern = /regex|parse error|size limit|not supported|unrecognized|unclosed|repetition/i.test(message);
        resolve({ ok: false, kind: pattern ? 'invalid_pattern' : 'search_failed', message });
        return;
      }
      resolve({ ok: true, hits, stopped });
    };
    child.on('error', (error) => finish(null, error));
    child.on('close', (code) => finish(code));
  });
}

/** Searches `files` (absolute real paths) for `query`; at most `maxHits + 1` hits so the caller can say "more". */
export async function ripgrepSearch(rgPath: string, files: readonly string[], query: TextQuery, limits: SearchLimits): Promise<TextSearchResult> {
  const deadline = Date.now() + limits.timeoutMs;
  const hits: TextHit[] = [];
  for (const group of chunks(files)) {
    if (limits.signal.aborted) return { ok: true, hits, stopped: 'aborted' };
    if (Date.now() >= deadline) return { ok: true, hits, stopped: 'time_budget' };
    const result = await runOnce(rgPath, argsFor(query, limits, group), deadline, limits, limits.maxHits + 1 - hits.length);
    if (!result.ok) return result;
    hits.push(...result.hits);
    if (result.stopped) return { ok: true, hits, stopped: result.stopped };
    if (hits.length > limits.maxHits) break;
  }
  return { ok: true, hits };
}
