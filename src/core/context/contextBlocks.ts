// How attached context reaches the model: each chip becomes one clearly delimited block (what it
// is, path, language, line range) in a fence its content cannot close, placed before the user's
// words in the same message. Duplicates (the same file twice, a selection inside an attached whole
// file) are sent once.
import type { ContextAttachment, ContextKind } from '../../shared/context';
import { fencedCodeBlock } from '../util/markdownFence';
import { estimateTokens } from './tokens';

const KIND_TITLES: Record<ContextKind, string> = {
  file: 'File',
  folder: 'Folder listing',
  selection: 'Selection',
  problems: 'Problems (diagnostics)',
  changes: 'Working tree changes (git diff)',
  terminal: 'Terminal (last command and output)',
};

function header(chip: ContextAttachment): string {
  const parts = [KIND_TITLES[chip.kind]];
  if (chip.path) parts.push(`path: ${chip.path}`);
  // Text with no file behind it (a variable VS Code's Chat resolved) keeps its name.
  else if (chip.label !== chip.kind) parts.push(`name: ${chip.label}`);
  if (chip.language) parts.push(`language: ${chip.language}`);
  if (chip.range) parts.push(`lines: ${chip.range.startLine}-${chip.range.endLine}`);
  if (chip.truncated) parts.push('truncated');
  return parts.join(' | ');
}

const fenceLanguage = (chip: ContextAttachment): string => (chip.kind === 'changes' ? 'diff' : chip.language ?? '');

/** One block: an XML-like wrapper naming the source, and the content in a safe fence. */
export function formatContextBlock(chip: ContextAttachment): string {
  return `<context source="${escapeAttribute(header(chip))}">\n${fencedCodeBlock(chip.text, fenceLanguage(chip))}\n</context>`;
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/** Estimated tokens a chip adds to the request (its whole formatted block). */
export function chipTokens(chip: Omit<ContextAttachment, 'tokens'>): number {
  return estimateTokens(formatContextBlock({ ...chip, tokens: 0 }));
}

function identity(chip: ContextAttachment): string {
  const range = chip.range ? `:${chip.range.startLine}-${chip.range.endLine}` : '';
  return `${chip.kind}|${chip.path ?? chip.label}${range}`;
}

/** Removes repeats: the same source twice, and selections of a file whose whole content is attached. */
export function dedupeContext(chips: readonly ContextAttachment[]): ContextAttachment[] {
  const wholeFiles = new Set(chips.filter((c) => c.kind === 'file' && !c.truncated && c.path).map((c) => c.path));
  const seen = new Set<string>();
  const seenText = new Set<string>();
  const out: ContextAttachment[] = [];
  for (const chip of chips) {
    const key = identity(chip);
    if (seen.has(key)) continue;
    if (chip.kind === 'selection' && chip.path && wholeFiles.has(chip.path)) continue;
    // Same content from two routes (a dragged file and a #-mention of it under another label).
    const textKey = `${chip.kind}|${chip.text}`;
    if (chip.text.length > 0 && seenText.has(textKey)) continue;
    seen.add(key);
    seenText.add(textKey);
    out.push(chip);
  }
  return out;
}

/** The text block sent before the prompt's words; undefined when nothing is attached. */
export function formatContextPreamble(chips: readonly ContextAttachment[]): string | undefined {
  const unique = dedupeContext(chips);
  if (unique.length === 0) return undefined;
  return ['The user attached this context:', ...unique.map(formatContextBlock)].join('\n\n');
}

/** Cuts content to `maxChars` on a line boundary; says whether it had to. */
export function capText(text: string, maxChars: number): { text: string; truncated: boolean } {
  if (text.length <= maxChars) return { text, truncated: false };
  const cut = text.lastIndexOf('\n', maxChars);
  return { text: text.slice(0, cut > maxChars / 2 ? cut : maxChars), truncated: true };
}
