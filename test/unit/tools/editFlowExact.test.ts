// The propose → review → apply flow and the call scope, exact (issue 17): what the model is told
// for each outcome (it must match what happened to the file), the card's reason and hunks, the
// proposal handed to the editor, and that nothing is written unless the user (or auto-apply) said so.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { ContentGate } from '../../../src/core/security/contentGate';
import { CallScope, failure, refused, success, type Decision } from '../../../src/core/tools/callScope';
import { runEdit } from '../../../src/core/tools/editFlow';
import { PathResolver } from '../../../src/core/tools/paths';
import { SensitivePaths } from '../../../src/core/tools/sensitivePaths';
import type { TurnCheckpoint } from '../../../src/core/checkpoints/recorder';
import type { EditRequest } from '../../../src/core/tools/edits';
import { FileExistsError, StaleFileError } from '../../../src/core/tools/toolHost';
import type { ToolRunnerSettings } from '../../../src/core/tools/toolRunner';
import type { ToolCallState } from '../../../src/shared/model';
import { FakeHost, FakeReview, settings as baseSettings, tempDir, writeFiles } from './fakeHost';

const TEN = Array.from({ length: 10 }, (_, i) => `line${i + 1}`).join('\n') + '\n';

interface Rig {
  ws: string;
  host: FakeHost;
  scope: CallScope;
  posts: ToolCallState[];
  asked: Array<'allow_deny' | 'apply_discard'>;
  card: ToolCallState;
}

async function rig(opts: { settings?: Partial<ToolRunnerSettings>; answer?: Decision | ((review: FakeReview | undefined) => Decision); policyNames?: string[]; checkpoint?: TurnCheckpoint; reveal?: boolean } = {}): Promise<Rig> {
  const ws = tempDir('aiml-editflow-');
  await writeFiles(ws, { 'a.txt': 'one\ntwo\n', 'ten.txt': TEN, 'dir/x.txt': 'x\n', '.env': 'KEY=1\n', 'key.txt': '-----BEGIN RSA PRIVATE KEY-----\nabc\n' });
  await fs.writeFile(path.join(ws, 'bin.dat'), Buffer.from([1, 0, 2]));
  const host = new FakeHost([{ fsPath: ws, name: 'ws' }]);
  const gate = new ContentGate(new PathResolver(host.roots()), new SensitivePaths([]), (file) => host.isExcluded(file.absPath, file.root));
  const posts: ToolCallState[] = [];
  const asked: Array<'allow_deny' | 'apply_discard'> = [];
  const card: ToolCallState = { toolUseId: 't', tool: 'propose_edit', target: '', status: 'validating' };
  const waiter = async (kind: 'allow_deny' | 'apply_discard', onReveal?: () => Promise<void>): Promise<Decision> => {
    asked.push(kind);
    if (opts.reveal) await onReveal?.();
    const answer = opts.answer ?? { decision: 'discard' };
    return typeof answer === 'function' ? answer(host.reviews.at(-1)) : answer;
  };
  const scope = new CallScope('t', opts.policyNames ?? ['propose_edit'], host, gate, baseSettings(opts.settings), new AbortController().signal, card, (s) => posts.push(structuredClone(s)), waiter, opts.checkpoint);
  return { ws, host, scope, posts, asked, card };
}

const replace = (oldText: string, newText: string): EditRequest => ({ action: 'replace', oldText, newText });
const read = (ws: string, rel: string) => fs.readFile(path.join(ws, rel), 'utf8');

describe('edit flow: refusals before any review, exact', () => {
  it('a folder', async () => {
    const r = await rig({ settings: { autoApplyEdits: true } });
    assert.deepEqual(await runEdit(r.scope, 'dir', replace('x', 'y')), failure('not a file', 'dir is a directory, not a file.'));
  });

  it('a binary file', async () => {
    const r = await rig({ settings: { autoApplyEdits: true } });
    assert.deepEqual(await runEdit(r.scope, 'bin.dat', replace('x', 'y')), failure('binary file', 'bin.dat: binary file (3 bytes, contains NUL bytes); not shown; it cannot be edited as text.'));
  });

  it('a path outside the workspace: the confinement refusal, target not set', async () => {
    const r = await rig({ settings: { autoApplyEdits: true } });
    const outcome = await runEdit(r.scope, '../x.txt', replace('x', 'y'));
    assert.equal(outcome.refusal, 'outside_workspace');
    assert.equal(r.card.target, '');
  });

  it('a refused edit computation: the summary is its first clause, the content names the file', async () => {
    const r = await rig({ settings: { autoApplyEdits: true } });
    const outcome = await runEdit(r.scope, 'a.txt', replace('one', 'one'));
    assert.deepEqual(outcome, failure('old_text and new_text are identical', 'a.txt: old_text and new_text are identical; nothing would change.'));
    const missing = await runEdit(r.scope, 'a.txt', replace('onf', 'x'));
    assert.equal(missing.summary, 'old_text was not found in the file');
    assert.equal(missing.content, 'a.txt: old_text was not found in the file. The closest line to its first line is line 1: "one". Read the file again and copy the exact text.');
    assert.equal(r.host.writes.length, 0);
  });

  it('a secret by name or by content is never quoted; the text editor\'s read setting is the one that counts', async () => {
    const r = await rig({ settings: { autoApplyEdits: true } });
    assert.equal((await runEdit(r.scope, '.env', replace('KEY=2', 'x'))).content, '.env: old_text was not found in the file. Read the file again and copy the exact text.');
    assert.equal((await runEdit(r.scope, 'key.txt', replace('abd', 'x'))).content, 'key.txt: old_text was not found in the file. Read the file again and copy the exact text.');
    const viaEditor = await rig({ settings: { toolApproval: { read_file: 'ask', str_replace_based_edit_tool: 'auto' } }, policyNames: ['str_replace_based_edit_tool', 'propose_edit'] });
    assert.match((await runEdit(viaEditor.scope, 'a.txt', replace('onf', 'x'))).content, /closest line/);
    const readAsks = await rig({ settings: { toolApproval: { read_file: 'ask' } } });
    assert.doesNotMatch((await runEdit(readAsks.scope, 'a.txt', replace('onf', 'x'))).content, /closest line/);
  });

  it('the read setting of the tool itself is not the read setting: propose_edit on auto does not make reads run', async () => {
    const r = await rig({ settings: { toolApproval: { propose_edit: 'auto', read_file: 'ask' } } });
    assert.equal((await runEdit(r.scope, 'a.txt', replace('onf', 'x'))).content, 'a.txt: old_text was not found in the file. Read the file again and copy the exact text.');
  });

  it('a settings file that mentions aimlChat, before or after the edit, always asks', async () => {
    for (const [before, after] of [['{"aimlChat.x": 1}\n', '{"aimlChat.x": 2}\n'], ['{"a": 1}\n', '{"aimlChat.x": 1}\n']]) {
      const r = await rig({ settings: { autoApplyEdits: true } });
      await fs.writeFile(path.join(r.ws, 's.json'), before);
      const outcome = await runEdit(r.scope, 's.json', replace(before, after));
      assert.equal(outcome.status, 'discarded', before);
      assert.equal(r.posts.find((p) => p.approval)?.approval?.reason, "the edit touches AIML Chat's own settings");
    }
  });

  it('an edit turned off: refused with the setting named, nothing asked or written', async () => {
    const r = await rig({ settings: { toolApproval: { propose_edit: 'never' } } });
    assert.deepEqual(await runEdit(r.scope, 'a.txt', replace('one', 'uno')), failure('refused: the user turned propose_edit off (setting aimlChat.tools.approval)', 'Refused: the user turned propose_edit off (setting aimlChat.tools.approval).'));
    assert.deepEqual(r.asked, []);
    assert.equal(r.host.writes.length, 0);
  });
});

describe('edit flow: auto-applied, exact', () => {
  it('writes at once, says "auto-applied" with the line counts, no review opened', async () => {
    const r = await rig({ settings: { autoApplyEdits: true } });
    const outcome = await runEdit(r.scope, 'a.txt', replace('one\ntwo', 'uno\ndos\ntres'));
    assert.deepEqual(outcome, { status: 'applied', summary: 'auto-applied +3 −2 lines', content: 'Applied the edit to a.txt (+3 −2 lines).', isError: false });
    assert.equal(await read(r.ws, 'a.txt'), 'uno\ndos\ntres\n');
    assert.equal(r.host.reviews.length, 0);
    assert.deepEqual(r.asked, []);
    assert.equal(r.posts.at(-1)?.status, 'running');
  });

  it('a secret file still asks, with the secret reason, even with auto-apply', async () => {
    const r = await rig({ settings: { autoApplyEdits: true } });
    const outcome = await runEdit(r.scope, 'key.txt', replace('abc', 'abd'));
    assert.equal(outcome.status, 'discarded');
    assert.equal(r.posts.find((p) => p.approval)?.approval?.reason, 'the file looks like it holds secrets');
  });

  it('creates a file: "Created", its line count', async () => {
    const r = await rig({ settings: { autoApplyEdits: true } });
    const outcome = await runEdit(r.scope, 'new/b.txt', { action: 'create', newText: 'b1\nb2\n' });
    assert.deepEqual(outcome, { status: 'applied', summary: 'auto-applied +2 −0 lines', content: 'Created new/b.txt (+2 −0 lines).', isError: false });
    assert.equal(await read(r.ws, 'new/b.txt'), 'b1\nb2\n');
  });

  it('the checkpoint is recorded before the write; a failed one stops the write', async () => {
    const order: string[] = [];
    const ok = await rig({ settings: { autoApplyEdits: true }, checkpoint: { beforeWrite: async (abs) => { order.push(`checkpoint ${path.basename(abs)}`); }, aroundCommand: (go) => go() } });
    ok.host.applyEdit = async (edit) => { order.push(`write ${path.basename(edit.absPath)}`); };
    await runEdit(ok.scope, 'a.txt', replace('one', 'uno'));
    assert.deepEqual(order, ['checkpoint a.txt', 'write a.txt']);
    const bad = await rig({ settings: { autoApplyEdits: true }, checkpoint: { beforeWrite: async () => { throw new Error('disk full'); }, aroundCommand: (go) => go() } });
    assert.deepEqual(await runEdit(bad.scope, 'a.txt', replace('one', 'uno')), failure('checkpoint failed', 'The checkpoint of a.txt could not be recorded (disk full), so nothing was written.'));
    assert.equal(await read(bad.ws, 'a.txt'), 'one\ntwo\n');
  });

  it('each write failure is told apart, and the file is unchanged', async () => {
    const r = await rig({ settings: { autoApplyEdits: true } });
    r.host.applyEdit = async () => { throw new Error('EACCES'); };
    assert.deepEqual(await runEdit(r.scope, 'a.txt', replace('one', 'uno')), failure('could not write', 'Writing a.txt failed: EACCES. The file is unchanged.'));
    const exists = await rig({ settings: { autoApplyEdits: true } });
    exists.host.applyEdit = async () => { throw new FileExistsError(); };
    assert.deepEqual(await runEdit(exists.scope, 'n.txt', { action: 'create', newText: 'x' }), failure('file exists', 'n.txt was created meanwhile; nothing was written. Read it and use replace.'));
    const stale = await rig({ settings: { autoApplyEdits: true } });
    stale.host.dirty.set(path.join(stale.ws, 'a.txt'), 'one\ntwo\n');
    const staleWrite = stale.host.applyEdit.bind(stale.host);
    stale.host.applyEdit = async (edit) => { stale.host.dirty.set(edit.absPath, 'changed\n'); return staleWrite(edit); };
    assert.deepEqual(await runEdit(stale.scope, 'a.txt', replace('one', 'uno')), failure('file changed meanwhile', 'a.txt changed after the edit was proposed, so nothing was written. Read the file again and propose the edit anew.'));
    assert.equal(await read(stale.ws, 'a.txt'), 'one\ntwo\n');
  });
});

describe('edit flow: reviewed, exact', () => {
  it('opens the proposal with the exact texts, asks with the policy reason and the hunks', async () => {
    const r = await rig({ answer: { decision: 'discard' } });
    const outcome = await runEdit(r.scope, 'a.txt', replace('two', 'TWO'));
    assert.deepEqual(r.host.reviews[0].proposal, { id: 't', absPath: path.join(r.ws, 'a.txt'), displayPath: 'a.txt', baseText: 'one\ntwo\n', proposedText: 'one\nTWO\n', create: false });
    assert.deepEqual(r.asked, ['apply_discard']);
    assert.deepEqual(r.posts.find((p) => p.approval)?.approval, { kind: 'apply_discard', reason: 'review the proposed edit', hunks: [{ index: 0, header: '@@ -1,2 +1,2 @@', preview: ' one\n-two\n+TWO' }] });
    assert.deepEqual(outcome, { status: 'discarded', summary: 'discarded', content: 'The user discarded the proposed edit; a.txt is unchanged.', isError: false });
    assert.equal(r.host.reviews[0].closed, true);
    assert.equal(r.host.writes.length, 0);
  });

  it('a new file asks "create <path>"', async () => {
    const r = await rig({ answer: { decision: 'apply' } });
    const outcome = await runEdit(r.scope, 'n.txt', { action: 'create', newText: 'n\n' });
    assert.equal(r.posts.find((p) => p.approval)?.approval?.reason, 'create n.txt');
    assert.equal(r.host.reviews[0].proposal.create, true);
    assert.equal(r.host.reviews[0].proposal.baseText, '');
    assert.deepEqual(outcome, { status: 'applied', summary: 'applied +1 −0 lines', content: 'Created n.txt (+1 −0 lines).', isError: false });
  });

  it('Apply of the proposal as it is: "applied", the file as proposed, the card running before the write', async () => {
    const r = await rig({ answer: { decision: 'apply' } });
    const outcome = await runEdit(r.scope, 'a.txt', replace('two', 'TWO'));
    assert.deepEqual(outcome, { status: 'applied', summary: 'applied +1 −1 lines', content: 'Applied the edit to a.txt (+1 −1 lines).', isError: false });
    assert.equal(await read(r.ws, 'a.txt'), 'one\nTWO\n');
    assert.equal(r.posts.at(-1)?.status, 'running');
    assert.equal(r.posts.at(-1)?.approval, undefined);
  });

  it('the card\'s hunks follow the user\'s changes to the proposal, and stop following after the decision', async () => {
    let review: FakeReview | undefined;
    const r = await rig({ answer: (rv) => { review = rv; rv!.userEdits('one\ntwo\nthree\n'); return { decision: 'discard' }; } });
    await runEdit(r.scope, 'a.txt', replace('two', 'TWO'));
    const approvals = r.posts.filter((p) => p.approval).map((p) => p.approval?.hunks?.[0]?.preview);
    assert.deepEqual(approvals, [' one\n-two\n+TWO', ' one\n two\n+three']);
    const before = r.posts.length;
    review!.userEdits('other\n');
    assert.equal(r.posts.length, before, 'the watcher is disposed');
  });

  it('the user edited the proposal: what was written, why it differs, and the diff', async () => {
    const r = await rig({ answer: (rv) => { rv!.userEdits('one\nZWEI\n'); return { decision: 'apply' }; } });
    const outcome = await runEdit(r.scope, 'a.txt', replace('two', 'TWO'));
    assert.equal(await read(r.ws, 'a.txt'), 'one\nZWEI\n');
    assert.deepEqual(outcome, {
      status: 'applied', summary: 'applied +1 −1 lines, edited by the user', isError: false,
      content: 'Applied the edit to a.txt (+1 −1 lines).\nWhat was written differs from your proposal (the user edited your proposal). Diff from your proposal to the file as written:\n@@ -1,2 +1,2 @@\n one\n-TWO\n+ZWEI',
    });
  });

  it('some hunks accepted: the count in the summary and the content; edited and partial together', async () => {
    const proposed = TEN.replace('line1\n', 'LINE1\n').replace('line10\n', 'LINE10\n');
    const partial = await rig({ answer: { decision: 'apply', acceptedHunks: [1] } });
    const outcome = await runEdit(partial.scope, 'ten.txt', replace(TEN, proposed));
    assert.equal(await read(partial.ws, 'ten.txt'), TEN.replace('line10\n', 'LINE10\n'));
    assert.equal(outcome.summary, 'applied +1 −1 lines (1/2 hunks)');
    assert.equal(outcome.content, 'Applied the edit to ten.txt (+1 −1 lines).\nWhat was written differs from your proposal (the user accepted 1 of 2 hunks). Diff from your proposal to the file as written:\n@@ -1,3 +1,3 @@\n-LINE1\n+line1\n line2\n line3');
    const both = await rig({ answer: (rv) => { rv!.userEdits(proposed.replace('LINE10', 'L10')); return { decision: 'apply', acceptedHunks: [1] }; } });
    const bothOutcome = await runEdit(both.scope, 'ten.txt', replace(TEN, proposed));
    assert.equal(bothOutcome.summary, 'applied +1 −1 lines (1/2 hunks), edited by the user');
    assert.match(bothOutcome.content, /\(the user edited your proposal and the user accepted 1 of 2 hunks\)/);
    assert.equal(await read(both.ws, 'ten.txt'), TEN.replace('line10\n', 'L10\n'));
  });

  it('all hunks accepted by number is a full apply: no hunk count shown', async () => {
    const proposed = TEN.replace('line1\n', 'LINE1\n').replace('line10\n', 'LINE10\n');
    const r = await rig({ answer: { decision: 'apply', acceptedHunks: [0, 1] } });
    const outcome = await runEdit(r.scope, 'ten.txt', replace(TEN, proposed));
    assert.equal(outcome.summary, 'applied +2 −2 lines');
    assert.equal(outcome.content, 'Applied the edit to ten.txt (+2 −2 lines).');
  });

  it('an empty new file is created on Apply (it has no hunks to accept)', async () => {
    const r = await rig({ answer: { decision: 'apply' } });
    const outcome = await runEdit(r.scope, 'empty.new', { action: 'create', newText: '' });
    assert.deepEqual(outcome, { status: 'applied', summary: 'applied +0 −0 lines', content: 'Created empty.new (+0 −0 lines).', isError: false });
    assert.equal(await read(r.ws, 'empty.new'), '');
  });

  it('no hunk accepted: nothing written, the model is told so', async () => {
    const r = await rig({ answer: { decision: 'apply', acceptedHunks: [] } });
    const outcome = await runEdit(r.scope, 'a.txt', replace('two', 'TWO'));
    assert.deepEqual(outcome, { status: 'discarded', summary: 'no hunk accepted', content: 'The user accepted none of the changes; a.txt is unchanged.', isError: false });
    assert.equal(r.host.writes.length, 0);
  });

  it('"show diff" reveals the review; a failing close does not change the outcome', async () => {
    const r = await rig({ answer: { decision: 'apply' }, reveal: true });
    r.host.onReview = (review) => { review.close = async () => { throw new Error('already closed'); }; };
    const outcome = await runEdit(r.scope, 'a.txt', replace('two', 'TWO'));
    assert.equal(r.host.reviews[0].revealed, 1);
    assert.equal(outcome.status, 'applied');
  });

  it('a write that fails after Apply: the failure, the review closed', async () => {
    const r = await rig({ answer: { decision: 'apply' } });
    r.host.applyEdit = async () => { throw new Error('EROFS'); };
    assert.deepEqual(await runEdit(r.scope, 'a.txt', replace('two', 'TWO')), failure('could not write', 'Writing a.txt failed: EROFS. The file is unchanged.'));
    assert.equal(r.host.reviews[0].closed, true);
  });
});

describe('call scope, exact', () => {
  it('the outcome helpers', () => {
    assert.deepEqual(failure('s'), { status: 'failed', summary: 's', content: 's', isError: true });
    assert.deepEqual(refused('secret', 'why', ' Hint.'), { status: 'failed', summary: 'refused: why', content: 'Refused: why. Hint.', isError: true, refusal: 'secret' });
    assert.deepEqual(refused('secret', 'why'), { status: 'failed', summary: 'refused: why', content: 'Refused: why.', isError: true, refusal: 'secret' });
    assert.deepEqual(success('s', 'c', 'd'), { status: 'succeeded', summary: 's', content: 'c', isError: false, details: 'd' });
  });

  it('update posts a copy; a new status without approval drops the old approval, awaiting_approval keeps it', async () => {
    const r = await rig();
    r.scope.showEditApproval('why', []);
    assert.deepEqual(r.posts.at(-1), { toolUseId: 't', tool: 'propose_edit', target: '', status: 'awaiting_approval', approval: { kind: 'apply_discard', reason: 'why', hunks: [] } });
    r.scope.update({ status: 'awaiting_approval' });
    assert.equal(r.posts.at(-1)?.approval?.reason, 'why');
    r.scope.update({ target: 'x' });
    assert.equal(r.posts.at(-1)?.approval?.reason, 'why');
    r.scope.update({ status: 'running' });
    assert.equal('approval' in r.posts.at(-1)!, false);
    r.posts.at(-1)!.target = 'changed by the receiver';
    assert.equal(r.card.target, 'x');
    r.scope.setTarget('y');
    assert.equal(r.posts.at(-1)?.target, 'y');
  });

  it('permit: run, refuse, ask then deny, ask then allow', async () => {
    const run = await rig();
    assert.deepEqual(await run.scope.permit('read'), { ok: true });
    assert.deepEqual(run.asked, []);
    const off = await rig({ settings: { toolApproval: { propose_edit: 'never' } } });
    assert.deepEqual(await off.scope.permit('read'), { ok: false, outcome: failure('refused: the user turned propose_edit off (setting aimlChat.tools.approval)', 'Refused: the user turned propose_edit off (setting aimlChat.tools.approval).') });
    const deny = await rig({ answer: { decision: 'deny' } });
    assert.deepEqual(await deny.scope.permit('read', 'a reason'), { ok: false, outcome: { status: 'denied', summary: 'denied by the user', content: 'The user denied this tool call. Do not retry it; ask the user if you need this information.', isError: true } });
    assert.deepEqual(deny.posts.at(-1)?.approval, { kind: 'allow_deny', reason: 'a reason' });
    assert.deepEqual(deny.asked, ['allow_deny']);
    const allow = await rig({ answer: { decision: 'allow' } });
    assert.deepEqual(await allow.scope.permit('read', 'a reason'), { ok: true });
    assert.equal(allow.posts.at(-1)?.status, 'running');
    assert.equal(allow.posts.at(-1)?.approval, undefined);
  });

  it('isSecret also checks the path as requested', async () => {
    const r = await rig();
    const resolved = await r.scope.resolve('a.txt');
    assert.ok(resolved.ok);
    assert.equal(r.scope.isSecret(resolved.value), false);
    assert.equal(r.scope.isSecret(resolved.value, '.env'), true);
    assert.equal(r.posts.at(-1)?.target, 'a.txt');
    const outside = await r.scope.resolve('../elsewhere.txt');
    assert.equal(outside.ok, false);
    if (!outside.ok) assert.match(outside.outcome.content, /^Refused: .+\. Tools can only use files inside the workspace folders\.$/);
  });

  it('readText: unsaved editor text as it is, disk bytes decoded with their size', async () => {
    const r = await rig();
    const abs = path.join(r.ws, 'a.txt');
    assert.deepEqual(await r.scope.readText(abs), { ok: true, text: 'one\ntwo\n', bytes: 8 });
    r.host.dirty.set(abs, 'unsaved');
    assert.deepEqual(await r.scope.readText(abs), { ok: true, text: 'unsaved' });
  });
});

describe('tool host errors', () => {
  it('name themselves and default their messages', () => {
    assert.equal(new StaleFileError().message, 'the file changed after the edit was proposed');
    assert.equal(new StaleFileError().name, 'StaleFileError');
    assert.equal(new StaleFileError('other').message, 'other');
    assert.equal(new FileExistsError().message, 'the file exists already');
    assert.equal(new FileExistsError().name, 'FileExistsError');
    assert.equal(new FileExistsError('x').message, 'x');
  });
});
