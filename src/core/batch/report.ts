// The markdown report of an ended batch: a header with the task, model and counts, one section
// per file with the model's answer, then everything that did not produce an answer (errors,
// canceled and expired requests, skipped files, unreadable result lines) with the reason.
import type { BatchFileEntry, SkippedFile } from './requests';
import type { ParsedResults, ResultOutcome } from './results';
import type { RequestCounts } from './schemas';
import { extractSuggestions } from './suggestions';
import { batchTasks, type BatchTaskId } from './tasks';
import { inertMarkdown } from '../util/inertMarkdown';

export interface ReportInput {
  batchId: string;
  task: BatchTaskId;
  customPrompt?: string;
  model: string;
  createdAt: number;
  endedAt?: number;
  counts?: RequestCounts;
  entries: readonly BatchFileEntry[];
  skipped: readonly SkippedFile[];
  results: ParsedResults;
}

export interface ReportSummary {
  succeeded: number;
  errored: number;
  canceled: number;
  expired: number;
  missing: number;
  /** Files whose answer holds REPLACE/WITH blocks (review and doc-comment tasks). */
  filesWithSuggestions: number;
}

export function summarize(input: ReportInput): ReportSummary {
  const byId = outcomesById(input.results.outcomes);
  const summary: ReportSummary = { succeeded: 0, errored: 0, canceled: 0, expired: 0, missing: 0, filesWithSuggestions: 0 };
  for (const entry of input.entries) {
    const outcome = byId.get(entry.customId);
    if (!outcome) { summary.missing++; continue; }
    summary[outcome.type]++;
    if (outcome.type === 'succeeded' && batchTasks[input.task].proposesEdits && extractSuggestions(outcome.text).length) summary.filesWithSuggestions++;
  }
  return summary;
}

export function outcomesById(outcomes: readonly ResultOutcome[]): Map<string, ResultOutcome> {
  return new Map(outcomes.map((o) => [o.customId, o]));
}

export function renderReport(input: ReportInput): string {
  const task = batchTasks[input.task];
  const byId = outcomesById(input.results.outcomes);
  const summary = summarize(input);
  const out: string[] = [];
  const fileWord = input.entries.length === 1 ? 'file' : 'files';
  const title = task.label.endsWith('…') ? task.label.slice(0, -1) : task.label;
  out.push(`# Batch report: ${title} (${input.entries.length} ${fileWord})`, '');
  out.push('| | |', '| --- | --- |');
  out.push(`| Task | ${escapeCell(title)} |`);
  out.push(`| Model | \`${escapeCell(input.model)}\` |`);
  out.push(`| Batch | \`${escapeCell(input.batchId)}\` |`);
  out.push(`| Created | ${formatTime(input.createdAt)} |`);
  if (input.endedAt) out.push(`| Ended | ${formatTime(input.endedAt)} |`);
  out.push(`| Results | ${summary.succeeded} succeeded, ${summary.errored} errored, ${summary.canceled} canceled, ${summary.expired} expired${summary.missing ? `, ${summary.missing} missing` : ''} |`);
  if (input.skipped.length) out.push(`| Skipped | ${input.skipped.length} |`);
  out.push('');
  if (input.task === 'custom' && input.customPrompt) out.push(...inertMarkdown(input.customPrompt.trim()).split(/\r?\n/).map((l) => `> ${l}`), '');
  if (summary.filesWithSuggestions) {
    out.push(`${summary.filesWithSuggestions} ${summary.filesWithSuggestions === 1 ? 'file has' : 'files have'} suggested changes: run **AIML Chat: Show Batch Jobs…** and choose *Apply suggestions* to review them as diffs.`, '');
  }

  for (const entry of input.entries) {
    const outcome = byId.get(entry.customId);
    if (outcome?.type !== 'succeeded') continue;
    out.push(`## \`${entry.path}\``, '');
    // The preview would load remote images and render raw HTML: model text goes in inert.
    out.push(inertMarkdown(demoteHeadings(outcome.text)) || '_The model returned no text._', '');
    if (outcome.stopReason === 'max_tokens') out.push('> The answer was cut off at the max_tokens limit.', '');
  }

  const problems: string[] = [];
  for (const entry of input.entries) {
    const outcome = byId.get(entry.customId);
    if (!outcome) problems.push(`- \`${entry.path}\` — **missing**: no result line for request \`${entry.customId}\``);
    else if (outcome.type !== 'succeeded') problems.push(`- \`${entry.path}\` — **${outcome.type}**: ${inertMarkdown(oneLine(outcome.reason))}`);
  }
  const known = new Set(input.entries.map((e) => e.customId));
  for (const outcome of input.results.outcomes) {
    if (!known.has(outcome.customId)) problems.push(`- result for an unknown request \`${outcome.customId}\` (${outcome.type}) was ignored`);
  }
  if (problems.length) out.push('## Requests without an answer', '', ...problems, '');
  if (input.skipped.length) {
    out.push('## Skipped files', '', ...input.skipped.map((s) => `- \`${s.path}\` — ${s.reason}`), '');
  }
  if (input.results.malformed.length) {
    out.push('## Unreadable result lines', '', ...input.results.malformed.map((m) => `- line ${m.line}: ${m.reason} — \`${m.excerpt.replace(/`/g, "'")}\``), '');
  }
  return out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}

/** Pushes the answer's own headings two levels down so they nest under the file's section. */
export function demoteHeadings(markdown: string): string {
  let fence: string | undefined;
  return markdown.split(/\r?\n/).map((line) => {
    const fenceMatch = line.match(/^\s*(`{3,}|~{3,})/);
    if (fenceMatch) {
      if (!fence) fence = fenceMatch[1];
      else if (fenceMatch[1][0] === fence[0] && fenceMatch[1].length >= fence.length && !line.trim().slice(fenceMatch[1].length)) fence = undefined;
      return line;
    }
    if (!fence && /^#{1,4}\s/.test(line)) return `##${line}`;
    return line;
  }).join('\n').trim();
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

function formatTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}
