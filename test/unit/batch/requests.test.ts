import * as assert from 'node:assert/strict';
import { CUSTOM_ID_PATTERN, CustomIdAllocator } from '../../../src/core/batch/customId';
import { fenceFor, fenceLanguage } from '../../../src/core/batch/languages';
import { buildBatchRequests, checkFile, type BatchFileInput } from '../../../src/core/batch/requests';
import { describeEstimate, estimateCost, listPrice } from '../../../src/core/batch/estimate';
import { instructionFor } from '../../../src/core/batch/tasks';
import { validateMessagesRequest } from '../../support/standin/validate';

const encode = (text: string) => new TextEncoder().encode(text);
const file = (path: string, text: string): BatchFileInput => ({ path, location: `file:///ws/${path}`, bytes: encode(text) });

describe('batch request building', () => {
  it('derives valid, unique custom ids from paths, even for colliding or long ones', () => {
    const ids = new CustomIdAllocator();
    const paths = [
      'src/app.ts', 'src/app.ts', 'src_app.ts', 'src/app-ts', 'src/ü/ñ/app.ts', '日本語.md', '...', '',
      `${'deep/'.repeat(40)}very-long-file-name.component.spec.ts`,
      `${'deep/'.repeat(40)}very-long-file-name.component.spec.tsx`,
    ];
    const result = paths.map((p) => ids.idFor(p));
    for (const id of result) assert.match(id, CUSTOM_ID_PATTERN, id);
    assert.equal(new Set(result).size, result.length);
    assert.ok(result[0].startsWith('src_app_ts-'), result[0]);
    assert.ok(result[8].includes('very-long-file-name'), 'keeps the file name when truncating');
  });

  it('is stable: the same path gives the same id in a new batch', () => {
    assert.equal(new CustomIdAllocator().idFor('lib/a.py'), new CustomIdAllocator().idFor('lib/a.py'));
  });

  it('skips empty, binary, invalid UTF-8 and too-large files with a reason', () => {
    assert.deepEqual(checkFile(new Uint8Array()), { ok: false, reason: 'empty file' });
    assert.equal((checkFile(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1])) as { reason: string }).reason, 'binary file');
    assert.match((checkFile(Uint8Array.from([0x66, 0xff, 0xfe, 0x41])) as { reason: string }).reason, /not valid UTF-8/);
    assert.match((checkFile(new Uint8Array(2048).fill(0x61), 1024) as { reason: string }).reason, /too large \(2\.0 KB, the limit is 1\.0 KB\)/);
    assert.deepEqual(checkFile(encode('\uFEFFconst x = 1;\n')), { ok: true, text: 'const x = 1;\n' });

    const built = buildBatchRequests([
      file('a.ts', 'export const a = 1;\n'),
      { path: 'logo.png', location: 'file:///ws/logo.png', bytes: Uint8Array.from([0x89, 0x50, 0, 0]) },
      file('big.ts', 'x'.repeat(5000)),
      file('empty.ts', ''),
    ], { task: 'explain', model: 'claude-sonnet-4-6', maxTokens: 2048, maxFileBytes: 4096 });
    assert.deepEqual(built.entries.map((e) => e.path), ['a.ts']);
    assert.deepEqual(built.skipped.map((s) => [s.path, s.reason.split(' (')[0]]), [['logo.png', 'binary file'], ['big.ts', 'too large'], ['empty.ts', 'empty file']]);
  });

  it('caps the number of requests and lists the rest as skipped; drops duplicate selections', () => {
    const files = Array.from({ length: 5 }, (_, i) => file(`f${i}.js`, `let v${i};\n`));
    const built = buildBatchRequests([...files, files[0]], { task: 'review', model: 'claude-sonnet-4-6', maxTokens: 1000, maxRequests: 3 });
    assert.equal(built.requests.length, 3);
    assert.deepEqual(built.skipped.map((s) => s.path), ['f3.js', 'f4.js']);
    assert.match(built.skipped[0].reason, /over the limit of 3 files per batch/);
  });

  it('puts the file in a fence with its language, longer than any fence inside it', () => {
    assert.equal(fenceLanguage('src/a.tsx'), 'tsx');
    assert.equal(fenceLanguage('Dockerfile'), 'dockerfile');
    assert.equal(fenceLanguage('notes'), '');
    const readme = 'Intro\n```js\nx()\n```\n';
    assert.equal(fenceFor(readme), '````');
    const built = buildBatchRequests([file('docs/README.md', readme)], { task: 'custom', customPrompt: 'Fix typos.', model: 'claude-sonnet-4-6', maxTokens: 100 });
    const content = built.requests[0].params.messages[0].content as string;
    assert.ok(content.startsWith('Fix typos.\n\nFile: `docs/README.md`\n\n````markdown\nIntro\n'), content);
    assert.ok(content.endsWith('```\n````'));
  });

  it('builds params without stream or sampling fields, valid for both model request shapes', function () {
    this.timeout(30_000); // The first use compiles the seed schema with ajv.
    // The stand-in's validator applies the seed schema of each model's request shape.
    for (const [model, ceiling] of [['claude-sonnet-4-5-20250929', 64_000], ['anthropic/claude-sonnet-4.5', 64_000], ['claude-opus-4-7', 128_000]] as const) {
      const built = buildBatchRequests([file('a.ts', 'export {};\n')], { task: 'docComments', model, maxTokens: 200_000 });
      const params = built.requests[0].params;
      assert.equal(params.max_tokens, ceiling, 'clamped to what the model accepts');
      assert.equal('stream' in params, false);
      assert.equal('temperature' in params, false);
      const verdict = validateMessagesRequest(params);
      assert.ok(verdict.ok, verdict.ok ? '' : verdict.message);
    }
  });

  it('estimates input tokens and the output ceiling', () => {
    const built = buildBatchRequests([file('a.ts', 'a'.repeat(4000)), file('b.ts', 'b'.repeat(4000))], { task: 'explain', model: 'claude-haiku-4-5', maxTokens: 1000 });
    assert.ok(built.estimate.inputTokens > 2000 && built.estimate.inputTokens < 3000, String(built.estimate.inputTokens));
    assert.equal(built.estimate.maxOutputTokens, 2000);
  });

  it('refuses a model the API does not offer before sending anything', () => {
    assert.throws(() => buildBatchRequests([file('a.ts', 'x\n')], { task: 'explain', model: 'gpt-4o', maxTokens: 100 }), /not one the AI\/ML API offers/);
  });

  it('asks for the suggestion format in review and doc tasks, and needs a custom prompt', () => {
    assert.match(instructionFor('review'), /REPLACE:\n```[\s\S]*WITH:/);
    assert.match(instructionFor('docComments'), /REPLACE:/);
    assert.doesNotMatch(instructionFor('explain'), /REPLACE:/);
    assert.throws(() => instructionFor('custom', '  '), /needs a prompt/);
  });
});

describe('batch cost estimate', () => {
  it('prices by model family at half the list price', () => {
    assert.deepEqual(listPrice('claude-opus-4-1-20250805'), { input: 15, output: 75 });
    assert.deepEqual(listPrice('anthropic/claude-opus-4.5'), { input: 5, output: 25 });
    assert.deepEqual(listPrice('claude-opus-4-7'), { input: 5, output: 25 });
    const e = estimateCost('claude-sonnet-4-6', 1_000_000, 100_000);
    assert.equal(e.maxUsd, (3 + 1.5) / 2);
    assert.match(describeEstimate(e), /≈ 1\.0M input tokens, at most 100k output tokens; at most about \$2\.25 .*half/);
    assert.match(describeEstimate(estimateCost('unknown', 10, 20)), /^≈ 10 input tokens, at most 20 output tokens\. Batches cost half/);
  });
});
