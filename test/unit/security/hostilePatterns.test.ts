// Hostile patterns: known catastrophic regular expressions (exponential or polynomial
// backtracking in a backtracking engine) run through search_text against inputs built to trigger
// them, and hostile globs through find_files. Each must finish inside the search's time budget,
// either with its matches (ripgrep's linear-time engine) or with a clear refusal (backreferences,
// look-around, oversized patterns). The budget and Stop are checked too.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { ripgrepSearch } from '../../../src/core/tools/ripgrep';
import { findFiles, searchText } from '../../../src/core/tools/readTools';
import { FakeHost, tempDir, writeFiles } from '../tools/fakeHost';
import { harness, type Harness } from './gateHarness';

/** Far below the 10 s budget: a backtracking engine needs minutes to hours on these inputs. */
const BUDGET_MS = 3000;

let h: Harness;
let ws = '';

before(async () => {
  ws = tempDir('aiml-patterns-');
  await writeFiles(ws, {
    'a.txt': `${'a'.repeat(30_000)}!\n`,
    'ident.ts': `const ${'x'.repeat(20_000)}$ = 1;\n`,
    'words.txt': `${'word '.repeat(8_000)}!\n`,
    'email.txt': `${'a.'.repeat(10_000)}@\n`,
    'digits.txt': `${'1'.repeat(20_000)}x\n`,
    'html.txt': `<${'a '.repeat(10_000)}\n`,
    'normal.ts': 'export function add(a: number, b: number) { return a + b; }\n',
  });
  h = harness(new FakeHost([{ fsPath: ws, name: 'ws' }]));
});

const catastrophic: string[] = [
  '(a+)+$', '(a*)*$', '(a|aa)+$', '(a|a?)+$', '(.*a){20}$', '(\\w+\\s?)+$', '^(\\w+\\s?)*$', '(x+x+)+y', '(a|b|ab)*c',
  '^([a-zA-Z0-9])(([\\-.]|[_]+)?([a-zA-Z0-9]+))*(@){1}[a-z0-9]+[.]{1}(([a-z]{2,3})|([a-z]{2,3}[.]{1}[a-z]{2,3}))$',
  '(\\d+)*x$', '^(\\d+|\\d+\\.\\d+)*$', '(.*)*!$', '(?:a+){2,}b', '(a+){10}b', '((a+)+)+b', '(\\s*\\w+\\s*)+=$',
  '<([a-z]+ ?)+>', '(([a-z])+.)+[A-Z]([a-z])+', '^(a?){25}a{25}$', '(.+)+\\$', '([a-z]+)*[0-9]', '(\\w|\\d)+\\.$',
];

/** Rejected by a linear-time engine: they cannot be run without backtracking. */
const refused: string[] = ['(a)\\1', '(\\w+)\\s\\1', '(?=a)a', '(?!b)a', '(?<=a)b', '(?<!a)b', '(?<name>a)\\k<name>'];

describe('hostile patterns: catastrophic regular expressions finish inside the budget', () => {
  for (const pattern of catastrophic) {
    it(pattern, async () => {
      const started = Date.now();
      const outcome = await searchText(h.scope(['search_text']), { query: pattern, is_regex: true, max_results: 5 });
      const took = Date.now() - started;
      assert.ok(took < BUDGET_MS, `took ${took} ms`);
      assert.equal(outcome.status, 'succeeded', outcome.content);
      assert.doesNotMatch(outcome.content, /stopped after its/, 'finished on its own, not by the budget');
    });
  }
  it('finds what an ordinary pattern matches (the engine really runs)', async () => {
    const outcome = await searchText(h.scope(['search_text']), { query: 'function \\w+\\(', is_regex: true });
    assert.match(outcome.content, /^normal\.ts:1: export function add/m);
  });
});

describe('hostile patterns: what a linear-time engine cannot run is refused clearly', () => {
  for (const pattern of refused) {
    it(pattern, async () => {
      const outcome = await searchText(h.scope(['search_text']), { query: pattern, is_regex: true });
      assert.equal(outcome.status, 'failed');
      assert.equal(outcome.summary, 'invalid regular expression', outcome.content);
      assert.match(outcome.content, /no backreferences or look-around/);
    });
  }
  it('a pattern too large to compile: (.*a){5000}', async () => {
    const outcome = await searchText(h.scope(['search_text']), { query: '((((.*a){100}){100}){100})', is_regex: true });
    assert.equal(outcome.summary, 'invalid regular expression', outcome.content);
  });
});

describe('hostile patterns: the time budget and Stop', () => {
  it('a search over its budget stops and says so', async () => {
    const outcome = await searchText(h.scope(['search_text']), { query: '(\\w+\\s?)+$', is_regex: true }, 0);
    assert.match(outcome.content, /stopped after its 0 s budget/);
  });
  it('Stop (the turn aborted) ends the search', async () => {
    const stop = new AbortController();
    const scope = h.scope(['search_text'], stop.signal);
    const pending = searchText(scope, { query: '[a-z]+!', is_regex: true });
    stop.abort();
    const outcome = await pending;
    assert.doesNotMatch(outcome.content, /a\.txt:1/);
  });
});

const hostileGlobs: Array<[string, 'refused' | 'runs']> = [
  [`${'{a,b}'.repeat(20)}`, 'refused'],
  [`**/${'{a,b,c,d}'.repeat(11)}.txt`, 'refused'],
  [`${'**/'.repeat(40)}*.txt`, 'runs'],
  [`${'*'.repeat(400)}.txt`, 'runs'],
  [`${'a*'.repeat(200)}b`, 'runs'],
  [`{${Array.from({ length: 100 }, (_, i) => `f${i}`).join(',')}}`, 'runs'],
  [`${'x'.repeat(600)}`, 'refused'],
  ['**/*.{ts,js,py,md,txt}', 'runs'],
];

describe('hostile patterns: globs in find_files and search_text finish inside the budget', () => {
  for (const [glob, expect] of hostileGlobs) {
    it(`${glob.slice(0, 60)}${glob.length > 60 ? '…' : ''} → ${expect}`, async () => {
      const started = Date.now();
      const found = await findFiles(h.scope(['find_files']), { pattern: glob });
      const searched = await searchText(h.scope(['search_text']), { query: 'add', include: glob });
      assert.ok(Date.now() - started < BUDGET_MS, `took ${Date.now() - started} ms`);
      for (const outcome of [found, searched]) {
        if (expect === 'refused') assert.match(outcome.summary, /^refused: the pattern (has more than|is longer than)/);
        else assert.equal(outcome.status, 'succeeded', outcome.content);
      }
    });
  }
  it('the ordinary glob still finds files', async () => {
    const outcome = await findFiles(h.scope(['find_files']), { pattern: '**/*.{ts,txt}' });
    assert.ok(outcome.content.split('\n').includes(path.posix.join('normal.ts')), outcome.content);
  });
});

describe('hostile patterns: the search process is killed at the budget and on Stop', () => {
  // A stand-in for a search that never ends: a script that sleeps, run where ripgrep would be.
  let sleeper = '';
  before(async () => {
    sleeper = path.join(tempDir('aiml-sleeper-'), 'rg');
    await fs.writeFile(sleeper, '#!/bin/sh\nexec sleep 30\n', { mode: 0o755 });
  });
  const query = { pattern: 'x', isRegex: false, caseSensitive: false };
  it('the budget kills it', async function () {
    if (process.platform === 'win32') this.skip();
    const result = await ripgrepSearch(sleeper, [path.join(ws, 'normal.ts')], query, { maxHits: 5, timeoutMs: 200, signal: new AbortController().signal, maxFileBytes: 1024 });
    assert.deepEqual(result, { ok: true, hits: [], stopped: 'time_budget' });
  });
  it('Stop kills it', async function () {
    if (process.platform === 'win32') this.skip();
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 100);
    const result = await ripgrepSearch(sleeper, [path.join(ws, 'normal.ts')], query, { maxHits: 5, timeoutMs: 60_000, signal: stop.signal, maxFileBytes: 1024 });
    assert.deepEqual(result, { ok: true, hits: [], stopped: 'aborted' });
  });
});
