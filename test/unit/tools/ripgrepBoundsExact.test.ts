// search_text's engine (ripgrep.ts) at the edges the other ripgrep tests leave open (issue 17):
// the stderr cap at exactly 4,000 characters, a line end cut only at the end, a first run that
// finds exactly maxHits, the budget checked with `>=` and honoured between runs, and a ripgrep
// that ignores SIGTERM (the reason a search stopped is the first one, and a refusal after a stop is
// not an error). The clock is frozen or scripted where a real one would make the edge a race.
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { ripgrepSearch, type SearchLimits, type TextQuery } from '../../../src/core/tools/ripgrep';
import { tempDir } from './fakeHost';
import { fakeRipgrep, match, printLines } from './fakeRipgrep';

const literal: TextQuery = { pattern: 'needle', isRegex: false, caseSensitive: false };
const limits = (over: Partial<SearchLimits> = {}): SearchLimits => ({ maxHits: 5, timeoutMs: 20_000, signal: new AbortController().signal, maxFileBytes: 1000, ...over });
/** 11 names of 2,399 characters: the first 10 fill one run's 24,000 characters, the eleventh starts a second run. */
const twoRuns = Array.from({ length: 11 }, (_, i) => `/${String(i).padStart(2, '0')}${'f'.repeat(2396)}`);

/** Runs `body` with Date.now answering `values` in order, then `after` (restored when it settles). */
async function withClock<T>(values: number[], after: number, body: () => Promise<T>): Promise<T> {
  const real = Date.now;
  let i = 0;
  Date.now = () => (i < values.length ? values[i++] : after);
  try {
    return await body();
  } finally {
    Date.now = real;
  }
}

describe('ripgrep: exact edges', () => {
  let dir = '';
  before(function () {
    if (process.platform === 'win32') this.skip();
    dir = tempDir('aiml-rg-bounds-');
  });
  const fakeRg = (body: string) => fakeRipgrep(dir, body);

  it('keeps stderr up to exactly 4,000 characters; a chunk arriving at 4,000 is dropped', async () => {
    // echo adds the line break: 3,999 + 1 = 4,000 characters in the first chunk.
    const line = 'e'.repeat(3999);
    const fake = await fakeRg(`echo '${line}' >&2\nsleep 0.5\necho 'dropped' >&2\nexit 2`);
    assert.deepEqual(await ripgrepSearch(fake.rg, ['/w/a.ts'], literal, limits()), { ok: false, kind: 'search_failed', message: line });
  });

  it('takes off one line end at the end of the text only, never one inside it', async () => {
    const fake = await fakeRg(printLines([match('/w/a.ts', 1, 'first\nsecond\n'), match('/w/a.ts', 2, 'cr\r\nlf\r\n'), match('/w/a.ts', 3, 'lone cr\r')]));
    assert.deepEqual(await ripgrepSearch(fake.rg, ['/w/a.ts'], literal, limits()), { ok: true, hits: [
      { absPath: '/w/a.ts', line: 1, text: 'first\nsecond' },
      { absPath: '/w/a.ts', line: 2, text: 'cr\r\nlf' },
      { absPath: '/w/a.ts', line: 3, text: 'lone cr\r' },
    ] });
  });

  it('a first run that finds exactly maxHits leaves room for one more: the second run still starts', async () => {
    const fake = await fakeRg(printLines(Array.from({ length: 4 }, (_, i) => match('/w/x.ts', i + 1, `hit ${i + 1}`))));
    const result = await ripgrepSearch(fake.rg, twoRuns, literal, limits({ maxHits: 4 }));
    assert.ok(result.ok);
    assert.deepEqual(result.hits.map((h) => h.line), [1, 2, 3, 4, 1]);
    assert.deepEqual(fake.calls().map((args) => args[args.indexOf('--max-count') + 1]), ['5', '5']);
  });

  it('a deadline reached to the millisecond starts no run', async () => {
    const fake = await fakeRg(printLines([match('/w/a.ts', 1, 'found')]));
    // The deadline is 1000 + 0 and the check sees 1000: no budget is left. (A run started anyway
    // would see the clock at 0, get a 1 s timer and report the hit.)
    const result = await withClock([1000, 1000], 0, () => ripgrepSearch(fake.rg, ['/w/a.ts'], literal, limits({ timeoutMs: 0 })));
    assert.deepEqual(result, { ok: true, hits: [], stopped: 'time_budget' });
    assert.deepEqual(fake.calls(), []);
  });

  it('a run the budget stopped ends the search, whatever the clock says afterwards', async () => {
    // The clock stands still, so only the run's own report can end the loop before the second run.
    const fake = await fakeRg(`${printLines([match('/w/a.ts', 7, 'early')])}\nexec sleep 30`);
    const result = await withClock([], 5000, () => ripgrepSearch(fake.rg, twoRuns, literal, limits({ timeoutMs: 300 })));
    assert.deepEqual(result, { ok: true, hits: [{ absPath: '/w/a.ts', line: 7, text: 'early' }], stopped: 'time_budget' });
    assert.equal(fake.calls().length, 1);
  });

  it('a ripgrep that outlives the budget and then exits 2 with a regex message is still a stopped search, not an invalid pattern', async () => {
    const fake = await fakeRg(`trap '' TERM\nsleep 1\necho 'regex parse error' >&2\nexit 2`);
    assert.deepEqual(await ripgrepSearch(fake.rg, ['/w/a.ts'], literal, limits({ timeoutMs: 200 })), { ok: true, hits: [], stopped: 'time_budget' });
  });

  it('Stop first, then the budget: the search says it was stopped (the first reason stays)', async () => {
    const started = path.join(dir, 'trap-set.flag');
    const fake = await fakeRg(`trap '' TERM\ntouch '${started}'\nsleep 2.5\nexit 1`);
    const stop = new AbortController();
    let settled = false;
    const pending = ripgrepSearch(fake.rg, ['/w/a.ts'], literal, limits({ timeoutMs: 1500, signal: stop.signal })).finally(() => { settled = true; });
    while (!existsSync(started) && !settled) await new Promise((r) => setTimeout(r, 20));
    stop.abort();
    assert.deepEqual(await pending, { ok: true, hits: [], stopped: 'aborted' });
  });
});
