// The small batch parts, entry by entry: every fence language of the table (by extension and by
// name), dot files, slug folding in custom ids, and the error shapes a poll may meet that are not
// objects at all.
import * as assert from 'node:assert/strict';
import { CustomIdAllocator, shortHash } from '../../../src/core/batch/customId';
import { isRetryableError, retryAfterOf } from '../../../src/core/batch/http';
import { fenceFor, fenceLanguage } from '../../../src/core/batch/languages';
import { isBatchTaskId } from '../../../src/core/batch/tasks';

describe('batch small parts, exact', () => {
  it('tags every extension of the table with its language', () => {
    const table: Record<string, string> = {
      ts: 'typescript', tsx: 'tsx', mts: 'typescript', cts: 'typescript',
      js: 'javascript', jsx: 'jsx', mjs: 'javascript', cjs: 'javascript',
      py: 'python', rb: 'ruby', go: 'go', rs: 'rust', java: 'java', kt: 'kotlin', kts: 'kotlin',
      swift: 'swift', c: 'c', h: 'c', cc: 'cpp', cpp: 'cpp', cxx: 'cpp', hpp: 'cpp', hh: 'cpp',
      cs: 'csharp', fs: 'fsharp', php: 'php', scala: 'scala', dart: 'dart', lua: 'lua', r: 'r',
      sh: 'bash', bash: 'bash', zsh: 'bash', ps1: 'powershell', sql: 'sql',
      html: 'html', htm: 'html', css: 'css', scss: 'scss', less: 'less', vue: 'vue', svelte: 'svelte',
      json: 'json', jsonc: 'jsonc', yaml: 'yaml', yml: 'yaml', toml: 'toml', xml: 'xml', ini: 'ini',
      md: 'markdown', markdown: 'markdown', tex: 'latex', dockerfile: 'dockerfile', makefile: 'makefile',
    };
    for (const [extension, language] of Object.entries(table)) {
      assert.equal(fenceLanguage(`dir/file.${extension}`), language, extension);
      assert.equal(fenceLanguage(`dir\\FILE.${extension.toUpperCase()}`), language, extension.toUpperCase());
    }
    assert.equal(fenceLanguage('app.Dockerfile'), 'dockerfile');
  });

  it('tags Dockerfile, Makefile and GNUmakefile by name, and nothing else without an extension', () => {
    assert.equal(fenceLanguage('x/DOCKERFILE'), 'dockerfile');
    assert.equal(fenceLanguage('x/makefile'), 'makefile');
    assert.equal(fenceLanguage('x\\GnuMakefile'), 'makefile');
    assert.equal(fenceLanguage('deploy\\sub/Dockerfile'), 'dockerfile', 'the last separator of either kind');
    assert.equal(fenceLanguage('deploy/sub\\Dockerfile'), 'dockerfile');
    assert.equal(fenceLanguage('Makefile'), 'makefile');
    for (const name of ['.ts', '.sh', '.md', 'x/.py', 'ts', 'a/ts', 'toString', 'constructor', '__proto__', 'x.constructor', 'x.__proto__', 'x.hasOwnProperty', 'file.', 'dir.ts/']) assert.equal(fenceLanguage(name), '', name);
  });

  it('makes fences of at least three backticks, one longer than an indented run at a line start', () => {
    assert.equal(fenceFor('x\n   ````\ny'), '`````');
    assert.equal(fenceFor('x\n\t\t```'), '````');
    assert.equal(fenceFor('```\n`````x'), '``````');
    assert.equal(fenceFor('a ```` b\n``'), '```');
  });

  it('folds every run of other characters and underscores in an id to one underscore', () => {
    const ids = new CustomIdAllocator();
    assert.equal(ids.idFor('a__b'), `a_b-${shortHash('a__b')}`);
    assert.equal(ids.idFor('a/./b'), `a_b-${shortHash('a/./b')}`);
    assert.equal(ids.idFor('--a--'), `a-${shortHash('--a--')}`);
    assert.equal(ids.idFor('_-a-_'), `a-${shortHash('_-a-_')}`);
    assert.equal(ids.idFor('a-b_c'), `a-b_c-${shortHash('a-b_c')}`);
    assert.equal(ids.idFor('ü'), `file-${shortHash('ü')}`);
  });

  it('keeps exactly 55 characters of a long slug, cut at the end, separators at the cut dropped', () => {
    const ids = new CustomIdAllocator();
    const exact = 'a'.repeat(55);
    assert.equal(ids.idFor(exact), `${exact}-${shortHash(exact)}`);
    const longer = `b${'a'.repeat(55)}`;
    assert.equal(ids.idFor(longer), `${'a'.repeat(55)}-${shortHash(longer)}`);
    const cutAtDashes = `${'c'.repeat(10)}--_-${'d'.repeat(52)}`;
    assert.equal(ids.idFor(cutAtDashes), `${'d'.repeat(52)}-${shortHash(cutAtDashes)}`);
  });

  it('treats null, numbers and functions as permanent errors without a Retry-After', () => {
    for (const value of [null, 0, 1, 'x', true, () => undefined]) {
      assert.equal(isRetryableError(value), false, String(value));
      assert.equal(retryAfterOf(value), undefined, String(value));
    }
    assert.equal(isRetryableError({ info: null }), false);
    assert.equal(isRetryableError({ info: { retryable: 'yes', kind: 'auth' } }), false);
    assert.equal(isRetryableError({ retryable: 'yes', info: { kind: 'server' } }), true, 'a retryable that is not a boolean is ignored');
    assert.equal(isRetryableError({ name: 'AbortError', retryable: true }), false);
    assert.equal(retryAfterOf({ retryAfterMs: Number.NaN }), undefined);
    assert.equal(retryAfterOf({ retryAfterMs: '5', info: { retryAfterMs: 7 } }), 7);
  });

  it('accepts only the four task ids, never an inherited or other property name', () => {
    for (const value of ['toString', 'constructor', 'length', 0, {}, ['explain'], 'EXPLAIN']) assert.equal(isBatchTaskId(value), false, String(value));
    assert.equal(isBatchTaskId('docComments'), true);
  });
});
