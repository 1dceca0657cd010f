// The propose → review → apply flow of every edit (propose_edit and the text editor's
// create/str_replace/insert). Nothing is written before the user applies (or auto-apply allows
// it); the write is one host edit computed from the exact text the proposal was made against.
import { failure, type CallScope, type Outcome } from './callScope';
import { computeEdit, type EditRequest, type EditVocabulary } from './edits';
import { applyHunks, computeHunks, summarizeHunks, unifiedDiff } from './hunks';
import { looksLikeSecretContent } from '../security/contentGate';
import { decideApproval } from './policy';
import { FileExistsError, StaleFileError, type ProposalReview } from './toolHost';

function lineDelta(oldText: string, newText: string): string {
  let added = 0;
  let removed = 0;
  for (const h of computeHunks(oldText, newText)) {
    for (const l of h.lines) {
      if (l.startsWith('+')) added++;
      else if (l.startsWith('-')) removed++;
    }
  }
  return `+${added} −${removed} lines`;
}

export async function runEdit(scope: CallScope, rawPath: string, request: EditRequest, vocabulary?: EditVocabulary): Promise<Outcome> {
  const resolved = await scope.resolve(rawPath);
  if (!resolved.ok) return resolved.outcome;
  const file = resolved.value;
  const stat = await scope.host.stat(file.absPath);
  if (stat && stat.kind !== 'file') return failure('not a file', `${file.displayPath} is a ${stat.kind}, not a file.`);

  let baseText: string | undefined;
  if (stat) {
    const decoded = await scope.readText(file.absPath);
    if (!decoded.ok) return failure('binary file', `${file.displayPath}: ${decoded.reason}; it cannot be edited as text.`);
    baseText = decoded.text;
  }
  const secret = scope.isSecret(file, rawPath) || (baseText !== undefined && looksLikeSecretContent(baseText));
  // A refusal that quotes the file ("the closest line is ...") is a read: it may quote only what
  // read_file would show without asking (reads auto-approved, not a secret, not turned off).
  // The names a read of this file goes by: the text editor's `view` when that tool is in use.
  const readNames = [...scope.policyNames.slice(0, scope.policyNames.length - 1), 'read_file'];
  const readRuns = decideApproval(scope.settings, { toolNames: readNames, approvalClass: 'read' }).action === 'run';
  const computed = computeEdit(baseText, request, { quiet: secret || !readRuns, vocabulary });
  if (!computed.ok) return failure(computed.message.split(/[.;]/)[0], `${file.displayPath}: ${computed.message}`);
  const proposed = computed.text;
  const create = baseText === undefined;
  const base = baseText ?? '';

  const alwaysAsk = scope.sensitive.editNeedsApproval(file.relPath, [base, proposed]) ?? (secret ? 'the file looks like it holds secrets' : undefined);
  // Stryker disable next-line StringLiteral: decideApproval treats every class other than read and command as an edit
  const decision = decideApproval(scope.settings, { toolNames: scope.policyNames, approvalClass: 'edit', alwaysAskReason: alwaysAsk });
  if (decision.action === 'refuse') return failure(`refused: ${decision.reason}`, `Refused: ${decision.reason}.`);

  if (decision.action === 'run') {
    scope.update({ status: 'running' });
    return write(scope, file.absPath, file.displayPath, base, proposed, proposed, create, 'auto-applied');
  }

  const review = await scope.host.openProposal({ id: scope.toolUseId, absPath: file.absPath, displayPath: file.displayPath, baseText: base, proposedText: proposed, create });
  const reason = create ? `create ${file.displayPath}` : decision.reason;
  scope.showEditApproval(reason, summarizeHunks(computeHunks(base, proposed)));
  // The user may edit the proposal in the diff: keep the card's hunks in step with it, so the
  // hunk numbers the user accepts refer to what they see.
  const watcher = review.onDidChange((text) => scope.showEditApproval(reason, summarizeHunks(computeHunks(base, text))));
  try {
    const answer = await scope.waitForDecision('apply_discard', () => review.reveal());
    if (answer.decision !== 'apply') {
      return { status: 'discarded', summary: 'discarded', content: `The user discarded the proposed edit; ${file.displayPath} is unchanged.`, isError: false };
    }
    const reviewed = review.currentText();
    const hunkCount = computeHunks(base, reviewed).length;
    const accepted = answer.acceptedHunks ? new Set(answer.acceptedHunks) : new Set(Array.from({ length: hunkCount }, (_, i) => i));
    const finalText = applyHunks(base, reviewed, accepted);
    if (finalText === base && !create) {
      return { status: 'discarded', summary: 'no hunk accepted', content: `The user accepted none of the changes; ${file.displayPath} is unchanged.`, isError: false };
    }
    scope.update({ status: 'running' });
    return await write(scope, file.absPath, file.displayPath, base, proposed, finalText, create, 'applied', { accepted: accepted.size, of: hunkCount, edited: reviewed !== proposed });
  } finally {
    watcher.dispose();
    await closeQuietly(review);
  }
}

async function closeQuietly(review: ProposalReview): Promise<void> {
  try {
    await review.close();
  } catch {
    // Closing the diff is cosmetic; the outcome stands.
  }
}

async function write(
  scope: CallScope, absPath: string, displayPath: string, base: string, proposed: string, finalText: string, create: boolean,
  how: 'applied' | 'auto-applied', review?: { accepted: number; of: number; edited: boolean },
): Promise<Outcome> {
  try {
    await scope.checkpoint?.beforeWrite(absPath);
  } catch (error) {
    // Writing what could not be restored later would break the promise of `Restore checkpoint`.
    return failure('checkpoint failed', `The checkpoint of ${displayPath} could not be recorded (${(error as Error).message}), so nothing was written.`);
  }
  try {
    await scope.host.applyEdit({ absPath, baseText: base, newText: finalText, create });
  } catch (error) {
    if (error instanceof StaleFileError) {
      return failure('file changed meanwhile', `${displayPath} changed after the edit was proposed, so nothing was written. Read the file again and propose the edit anew.`);
    }
    if (error instanceof FileExistsError) return failure('file exists', `${displayPath} was created meanwhile; nothing was written. Read it and use replace.`);
    return failure('could not write', `Writing ${displayPath} failed: ${(error as Error).message}. The file is unchanged.`);
  }
  const verb = create ? 'Created' : 'Applied the edit to';
  const parts = [`${verb} ${displayPath} (${lineDelta(base, finalText)}).`];
  if (finalText !== proposed && review) {
    const why = [review.edited ? 'the user edited your proposal' : '', review.accepted < review.of ? `the user accepted ${review.accepted} of ${review.of} hunks` : ''].filter(Boolean).join(' and ');
    // Stryker disable next-line StringLiteral: the text differs only when the user edited it or left out hunks, so the fallback is never used
    const because = why || 'changed during review';
    parts.push(`What was written differs from your proposal (${because}). Diff from your proposal to the file as written:\n${unifiedDiff(displayPath, proposed, finalText)}`);
  }
  const summary = `${how} ${lineDelta(base, finalText)}${review && review.accepted < review.of ? ` (${review.accepted}/${review.of} hunks)` : ''}${review?.edited ? ', edited by the user' : ''}`;
  return { status: 'applied', summary, content: parts.join('\n'), isError: false };
}
