import * as assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { FileAttachmentStore } from '../../../src/core/chat/attachmentStore';
import { buildExplainPrompt, buildSystemPrompt, titleFromPrompt, toolLimitNote } from '../../../src/core/chat/prompts';
import { checkSpendCap, estimateNextRequestUsd, familyOfModel } from '../../../src/core/chat/spendCap';
import { emptyTotals } from '../../../src/shared/model';

describe('prompts', () => {
  it('mentions VS Code and gives tool guidance only when tools are available', () => {
    const withTools = buildSystemPrompt({ toolsAvailable: true, workspaceName: 'shop' });
    assert.match(withTools, /Visual Studio Code/);
    assert.match(withTools, /propose edits/);
    assert.match(withTools, /"shop"/);
    assert.match(buildSystemPrompt({ toolsAvailable: false }), /not available/);
  });

  it('builds an explain prompt with file, language, lines and context, fencing safely', () => {
    const prompt = buildExplainPrompt({ fileName: 'src/a.ts', languageId: 'typescript', startLine: 3, endLine: 4, code: 'const s = "```";', before: 'import x;', after: '' });
    assert.match(prompt, /`src\/a.ts` \(lines 3-4, typescript\)/);
    assert.match(prompt, /````typescript\nconst s = "```";\n````/);
    assert.match(prompt, /Before:/);
    assert.doesNotMatch(prompt, /After:/);
  });

  it('titles a conversation by the first non-empty line, shortened', () => {
    assert.equal(titleFromPrompt('\n  Fix   the bug\nmore'), 'Fix the bug');
    assert.equal(titleFromPrompt('x'.repeat(100)).length, 60);
    assert.equal(titleFromPrompt('   '), 'New chat');
    assert.match(toolLimitNote(25), /25 tool calls/);
  });
});

describe('spendCap', () => {
  it('passes without a cap and when the estimate fits', () => {
    assert.equal(checkSpendCap({ ...emptyTotals(), usdSpent: 5 }, null, 1).kind, 'ok');
    assert.equal(checkSpendCap({ ...emptyTotals(), usdSpent: 0.5 }, 1, 0.2).kind, 'ok');
  });

  it('asks when spent + estimate would pass the cap', () => {
    const check = checkSpendCap({ ...emptyTotals(), usdSpent: 0.9 }, 1, 0.2);
    assert.equal(check.kind, 'confirm');
    assert.match(check.kind === 'confirm' ? check.message : '', /\$0\.90.*\$1\.00/);
  });

  it('estimates from tokens and from what recent answers cost, whichever is larger', () => {
    assert.equal(familyOfModel('anthropic/claude-haiku-4.5'), 'haiku');
    const small = estimateNextRequestUsd({ model: 'claude-sonnet-4-6', inputChars: 4000, messages: [] });
    assert.ok(Math.abs(small - (1000 * 3 + 1000 * 15) / 1e6) < 1e-9);
    const fromHistory = estimateNextRequestUsd({ model: 'claude-sonnet-4-6', inputChars: 4000, messages: [{ id: 'a', role: 'assistant', content: [], createdAt: 1, usdSpent: 0.5 }] });
    assert.equal(fromHistory, 0.5);
  });
});

describe('FileAttachmentStore', () => {
  it('stores each image once by content hash and loads it back', async () => {
    const folder = await mkdtemp(path.join(tmpdir(), 'aiml-att-'));
    try {
      const store = new FileAttachmentStore(folder);
      // A real 1x1 PNG, so content checks on the bytes pass.
      const data = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
      const a = await store.save({ name: 'a.png', mediaType: 'image/png', data, width: 1, height: 1 });
      const b = await store.save({ name: 'b.png', mediaType: 'image/png', data, width: 1, height: 1 });
      assert.equal(a.id, b.id);
      assert.equal(a.bytes, Buffer.from(data, 'base64').length);
      assert.deepEqual(await readdir(folder), [`${a.id}.png`]);
      assert.equal(await store.load(a), data);
      assert.throws(() => store.filePath({ id: '../../etc/passwd', media_type: 'image/png' }), /Invalid attachment id/);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
