// Turning a pick into a chip: files, folders, the selection and problems, read through the same
// confinement and secret checks as the tools. `readForContext` is the ONE place chip content is
// read from the workspace, with the resolver's symlink confinement and the secret checks of the
// tools' content gate (src/core/security/contentGate.ts) by name and by content. A secret-looking file is refused outright here (a chip has no
// Allow button); the user can still paste what they mean to share.
import * as path from 'node:path';
import type { ContextAttachment } from '../../shared/context';
import { looksLikeSecretContent } from '../security/contentGate';
import type { PathResolver } from '../tools/paths';
import type { SensitivePaths } from '../tools/sensitivePaths';
import { decodeText } from '../tools/text';
import type { DiagnosticInfo, ToolHost } from '../tools/toolHost';
import { capText, chipTokens } from './contextBlocks';

/** Largest content of one chip (about 25k tokens): more belongs in a tool read of the part needed. */
export const MAX_CHIP_CHARS = 100_000;
const MAX_FILE_BYTES = 4 * 1024 * 1024;
const MAX_FOLDER_ENTRIES = 300;
const MAX_PROBLEMS = 200;

export interface ContextReadDeps {
  host: ToolHost;
  resolver: PathResolver;
  sensitive: SensitivePaths;
}

export type ContextRead = { ok: true; absPath: string; displayPath: string; text: string } | { ok: false; reason: string };

/** The read gate for chip content: confined to the workspace, no secrets, text only. */
export async function readForContext(deps: ContextReadDeps, rawPath: string): Promise<ContextRead> {
  const resolved = await deps.resolver.resolve(rawPath);
  if (!resolved.ok) return { ok: false, reason: resolved.reason };
  const file = resolved.value;
  if (deps.sensitive.isSecret(rawPath, file.relPath, file.absPath)) return { ok: false, reason: `${file.displayPath} looks like it holds secrets (keys, tokens, passwords), so it is not attached` };
  const stat = await deps.host.stat(file.absPath);
  if (!stat) return { ok: false, reason: `${file.displayPath} does not exist` };
  if (stat.kind === 'directory') return { ok: false, reason: `${file.displayPath} is a folder` };
  if (stat.size > MAX_FILE_BYTES) return { ok: false, reason: `${file.displayPath} is ${stat.size} bytes, too large to attach` };
  const content = await deps.host.readFile(file.absPath);
  const decoded = content.source === 'editor' ? { ok: true as const, text: content.text } : decodeText(content.bytes);
  if (!decoded.ok) return { ok: false, reason: `${file.displayPath}: ${decoded.reason}` };
  // The tools' content check too: a private key or service-account key under any file name.
  if (looksLikeSecretContent(decoded.text)) return { ok: false, reason: `${file.displayPath} looks like it holds secrets (keys, tokens, passwords), so it is not attached` };
  return { ok: true, absPath: file.absPath, displayPath: file.displayPath, text: decoded.text };
}

// A Map, not an object literal: `x.constructor` or `x.__proto__` must not find Object.prototype's
// members (a function as the chip's language cannot even be posted to the webview).
const LANGUAGES = new Map(Object.entries({
  ts: 'typescript', tsx: 'typescriptreact', js: 'javascript', jsx: 'javascriptreact', mjs: 'javascript', cjs: 'javascript', json: 'json', md: 'markdown',
  py: 'python', go: 'go', rs: 'rust', java: 'java', kt: 'kotlin', cs: 'csharp', c: 'c', h: 'c', cpp: 'cpp', hpp: 'cpp', rb: 'ruby', php: 'php',
  swift: 'swift', sh: 'shellscript', bash: 'shellscript', yml: 'yaml', yaml: 'yaml', toml: 'toml', html: 'html', css: 'css', scss: 'scss', sql: 'sql', xml: 'xml',
}));

export function languageOf(fileName: string): string | undefined {
  return LANGUAGES.get(path.extname(fileName).slice(1).toLowerCase());
}

/** A chip with its content capped and its token estimate filled in. */
export function makeChip(chip: Omit<ContextAttachment, 'tokens' | 'truncated'>): ContextAttachment {
  const capped = capText(chip.text, MAX_CHIP_CHARS);
  const base = { ...chip, text: capped.text, ...(capped.truncated ? { truncated: true } : {}) };
  return { ...base, tokens: chipTokens(base) };
}

export type ChipResult = { ok: true; chip: ContextAttachment } | { ok: false; reason: string };

export async function fileChip(deps: ContextReadDeps, rawPath: string): Promise<ChipResult> {
  const read = await readForContext(deps, rawPath);
  if (!read.ok) return read;
  return { ok: true, chip: makeChip({ kind: 'file', label: read.displayPath, path: read.displayPath, language: languageOf(read.displayPath), text: read.text }) };
}

/** Lines `startLine`..`endLine` (1-based, inclusive) of a file, read through the same gate as a whole file. */
export async function rangeChip(deps: ContextReadDeps, rawPath: string, range: { startLine: number; endLine: number }): Promise<ChipResult> {
  const read = await readForContext(deps, rawPath);
  if (!read.ok) return read;
  const text = read.text.split(/\r?\n/).slice(range.startLine - 1, range.endLine).join('\n');
  const lines = range.startLine === range.endLine ? `${range.startLine}` : `${range.startLine}-${range.endLine}`;
  return { ok: true, chip: makeChip({ kind: 'selection', label: `${read.displayPath}:${lines}`, path: read.displayPath, language: languageOf(read.displayPath), range, text }) };
}

export async function folderChip(deps: ContextReadDeps, rawPath: string): Promise<ChipResult> {
  const resolved = await deps.resolver.resolve(rawPath);
  if (!resolved.ok) return { ok: false, reason: resolved.reason };
  const folder = resolved.value;
  const stat = await deps.host.stat(folder.absPath);
  if (stat?.kind !== 'directory') return { ok: false, reason: `${folder.displayPath} is not a folder` };
  const entries = (await deps.host.listDirectory(folder.absPath))
    .filter((e) => !deps.sensitive.isSecret(path.posix.join(folder.relPath, e.name)))
    .sort((a, b) => Number(b.kind === 'directory') - Number(a.kind === 'directory') || a.name.localeCompare(b.name));
  const shown = entries.slice(0, MAX_FOLDER_ENTRIES).map((e) => (e.kind === 'directory' ? `${e.name}/` : e.name));
  if (entries.length > shown.length) shown.push(`[${entries.length - shown.length} more entries]`);
  return { ok: true, chip: makeChip({ kind: 'folder', label: `${folder.displayPath}/`, path: folder.displayPath, text: shown.join('\n') || '(empty folder)' }) };
}

export async function selectionChip(deps: ContextReadDeps): Promise<ChipResult> {
  const selection = deps.host.activeSelection();
  if (!selection) return { ok: false, reason: 'no editor is active; open a file and select the code first' };
  let where = selection.documentName;
  if (selection.absPath) {
    const resolved = await deps.resolver.resolve(selection.absPath);
    if (!resolved.ok) return { ok: false, reason: `the active file is not attached: ${resolved.reason}` };
    if (deps.sensitive.isSecret(resolved.value.relPath, selection.absPath)) return { ok: false, reason: `${resolved.value.displayPath} looks like it holds secrets, so it is not attached` };
    where = resolved.value.displayPath;
  }
  const range = { startLine: selection.startLine, endLine: selection.endLine };
  const lines = range.startLine === range.endLine ? `${range.startLine}` : `${range.startLine}-${range.endLine}`;
  return { ok: true, chip: makeChip({ kind: 'selection', label: `${where}:${lines}`, path: where, language: selection.languageId, range, text: selection.text }) };
}

/** Problems of the active file, or of the whole workspace when no file is active. */
export async function problemsChip(deps: ContextReadDeps): Promise<ChipResult> {
  const active = deps.host.activeSelection()?.absPath;
  const list: DiagnosticInfo[] = deps.host.diagnostics(active);
  const lines: string[] = [];
  for (const d of list.slice(0, MAX_PROBLEMS)) {
    const shown = await deps.resolver.displayPathOf(d.absPath);
    if (!shown) continue; // outside the workspace
    lines.push(`${shown}:${d.line}:${d.column} ${d.severity}: ${d.message}${d.source ? ` (${d.source}${d.code ? ` ${d.code}` : ''})` : ''}`);
  }
  if (list.length > MAX_PROBLEMS) lines.push(`[${list.length - MAX_PROBLEMS} more problems]`);
  const scope = active ? (await deps.resolver.displayPathOf(active)) ?? 'the active file' : 'the workspace';
  return { ok: true, chip: makeChip({ kind: 'problems', label: 'problems', path: active ? scope : undefined, text: lines.length ? lines.join('\n') : `No problems reported in ${scope}.` }) };
}
