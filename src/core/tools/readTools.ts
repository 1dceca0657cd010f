// The read-only tools: each resolves and confines its paths, passes the approval gate, then asks
// the host. Secret-looking files are gated with an explicit Allow and left out of searches.
import { estimateImageTokens, planScaledSize, sniffImageType } from '../../shared/images';
import { checkPickedImage, imageTypeLabel, toolImageContent } from '../images/imageFiles';
import { failure, success, type CallScope, type Outcome } from './callScope';
import type { FindFilesInput, GetDiagnosticsInput, ListDirectoryInput, ReadFileInput, SearchTextInput } from './definitions';
import { decodeText, numberedView, splitLines } from './text';

const MAX_FILE_BYTES_TO_OPEN = 10 * 1024 * 1024;
const MAX_LIST_ENTRIES = 500;
const SEARCH_FILE_LIMIT = 5000;
const SEARCH_FILE_MAX_BYTES = 1024 * 1024;
/** Regexes run on at most this much of a line: bounds the cost of a pathological pattern. */
const SEARCH_LINE_CHARS = 1000;
const MAX_DIAGNOSTICS = 200;
const SECRET_REASON = 'this file looks like it holds secrets (keys, tokens, passwords)';

/** Globs are workspace-relative: no absolute paths, no climbing out. */
function globRefusal(glob: string): string | undefined {
  if (glob.includes('\0')) return 'the pattern contains a NUL byte';
  if (/^([a-zA-Z]:)?[\\/]/.test(glob) || glob.startsWith('~')) return 'the pattern must be relative to the workspace';
  if (glob.split(/[\\/]/).includes('..')) return 'the pattern must not contain ".."';
  return undefined;
}

export async function readFile(scope: CallScope, input: ReadFileInput): Promise<Outcome> {
  const resolved = await scope.resolve(input.path);
  if (!resolved.ok) return resolved.outcome;
  const file = resolved.value;
  const stat = await scope.host.stat(file.absPath);
  if (!stat) return failure('not found', `${file.displayPath} does not exist. Use find_files or list_directory to locate it.`);
  if (stat.kind === 'directory') return failure('is a folder', `${file.displayPath} is a folder; use list_directory.`);
  if (stat.size > MAX_FILE_BYTES_TO_OPEN) return failure('file too large', `${file.displayPath} is ${stat.size} bytes, too large to read; use search_text to find the part you need.`);
  const range = input.start_line !== undefined || input.end_line !== undefined ? `:${input.start_line ?? 1}-${input.end_line ?? 'end'}` : '';
  scope.setTarget(`${file.displayPath}${range}`);
  const permission = await scope.permit('read', scope.isSecret(file, input.path) ? SECRET_REASON : undefined);
  if (!permission.ok) return permission.outcome;

  const content = await scope.host.readFile(file.absPath);
  // Images are recognised by their bytes, whatever the name says; bytes that happen to start like
  // an image but are valid text (a "GIF89a" note, a misnamed .png) are read as text.
  const decoded = content.source === 'editor' ? { ok: true as const, text: content.text } : decodeText(content.bytes);
  if (!decoded.ok && content.source === 'disk' && sniffImageType(content.bytes)) return readImage(file.displayPath, content.bytes);
  if (!decoded.ok) return failure(decoded.reason, `${file.displayPath}: ${decoded.reason}.`);
  const view = numberedView(decoded.text, input.start_line ?? 1, input.end_line);
  if (view.totalLines === 0) return success('empty file', `${file.displayPath} is empty.`);
  if (view.firstLine > view.totalLines) return failure('start_line past the end', `${file.displayPath} has ${view.totalLines} lines; start_line ${view.firstLine} is past the end.`);
  const header = `${file.displayPath} (lines ${view.firstLine}-${view.lastLine} of ${view.totalLines})`;
  const note = view.truncated ? `\n[Cut at line ${view.lastLine} to stay under the size limit: call read_file with start_line=${view.lastLine + 1} to continue.]` : '';
  const lines = view.lastLine - view.firstLine + 1;
  return success(`read ${lines} line${lines === 1 ? '' : 's'}${view.truncated ? ' (truncated)' : ''}`, `${header}\n${view.text}${note}`);
}

/**
 * An image file as tool_result content (a text line and the image block), when it already fits the
 * API's limits: the host cannot scale or re-encode. Otherwise an error result saying why.
 */
function readImage(displayPath: string, bytes: Uint8Array): Outcome {
  const picked = checkPickedImage(displayPath, bytes);
  const result = toolImageContent(displayPath, bytes);
  const message = result.content[0].text;
  if (!picked.ok) return failure('damaged image', message);
  const { width, height } = picked.size;
  const what = `image ${width}×${height} ${imageTypeLabel(picked.mediaType)}`;
  if (!result.ok) return failure(`${what} not sent: over the API's image limits`, message);
  const tokens = estimateImageTokens(planScaledSize(picked.size));
  return { ...success(`${what}, ~${tokens} tokens`, message), blocks: result.content };
}

export async function listDirectory(scope: CallScope, input: ListDirectoryInput): Promise<Outcome> {
  const resolved = await scope.resolve(input.path || '.');
  if (!resolved.ok) return resolved.outcome;
  const folder = resolved.value;
  const stat = await scope.host.stat(folder.absPath);
  if (!stat) return failure('not found', `${folder.displayPath} does not exist.`);
  if (stat.kind !== 'directory') return failure('not a folder', `${folder.displayPath} is a file; use read_file.`);
  const permission = await scope.permit('read');
  if (!permission.ok) return permission.outcome;
  const entries = await scope.host.listDirectory(folder.absPath);
  entries.sort((a, b) => Number(b.kind === 'directory') - Number(a.kind === 'directory') || a.name.localeCompare(b.name));
  const shown = entries.slice(0, MAX_LIST_ENTRIES).map((e) => (e.kind === 'directory' ? `${e.name}/` : e.kind === 'symlink' ? `${e.name} (symlink)` : e.name));
  const more = entries.length > shown.length ? `\n[${entries.length - shown.length} more entries not shown]` : '';
  const body = shown.length ? shown.join('\n') : '(empty folder)';
  return success(`${entries.length} entries`, `${folder.displayPath}/\n${body}${more}`);
}

export async function findFiles(scope: CallScope, input: FindFilesInput): Promise<Outcome> {
  scope.setTarget(input.pattern);
  const refusal = globRefusal(input.pattern);
  if (refusal) return failure(`refused: ${refusal}`, `Refused: ${refusal}.`);
  const permission = await scope.permit('read');
  if (!permission.ok) return permission.outcome;
  const max = input.max_results ?? 200;
  const found = await scope.host.findFiles(input.pattern, max + 1, scope.signal);
  const paths: string[] = [];
  for (const abs of found) {
    const shown = await scope.resolver.displayPathOf(abs);
    if (shown) paths.push(shown);
  }
  paths.sort();
  const more = paths.length > max ? `\n[More files match: narrow the pattern or raise max_results.]` : '';
  if (paths.length === 0) return success('no files', `No files match ${input.pattern} (excluded and git-ignored files are left out).`);
  return success(`${Math.min(paths.length, max)} files`, paths.slice(0, max).join('\n') + more);
}

function buildMatcher(input: SearchTextInput): { ok: true; test: (line: string) => boolean } | { ok: false; reason: string } {
  const flags = input.case_sensitive ? '' : 'i';
  if (input.is_regex) {
    try {
      const regex = new RegExp(input.query, flags);
      return { ok: true, test: (line) => regex.test(line.slice(0, SEARCH_LINE_CHARS)) };
    } catch (error) {
      return { ok: false, reason: `invalid regular expression: ${(error as Error).message}` };
    }
  }
  const needle = input.case_sensitive ? input.query : input.query.toLowerCase();
  return { ok: true, test: (line) => (input.case_sensitive ? line : line.toLowerCase()).includes(needle) };
}

export async function searchText(scope: CallScope, input: SearchTextInput): Promise<Outcome> {
  scope.setTarget(input.include ? `${input.query} in ${input.include}` : input.query);
  const matcher = buildMatcher(input);
  if (!matcher.ok) return failure(matcher.reason, `${matcher.reason}. Fix the pattern or set is_regex to false.`);
  if (input.include) {
    const refusal = globRefusal(input.include);
    if (refusal) return failure(`refused: ${refusal}`, `Refused: ${refusal}.`);
  }
  const permission = await scope.permit('read');
  if (!permission.ok) return permission.outcome;

  const max = input.max_results ?? 50;
  const files = await scope.host.findFiles(input.include ?? '**/*', SEARCH_FILE_LIMIT, scope.signal);
  const hits: string[] = [];
  let skippedSecrets = 0;
  let filesWithHits = 0;
  for (const abs of files) {
    if (hits.length > max || scope.signal.aborted) break;
    const shown = await scope.resolver.displayPathOf(abs);
    if (!shown) continue;
    if (scope.sensitive.isSecret(shown, abs)) { skippedSecrets++; continue; }
    const stat = await scope.host.stat(abs);
    if (!stat || stat.kind !== 'file' || stat.size > SEARCH_FILE_MAX_BYTES) continue;
    let text: string;
    try {
      const content = await scope.host.readFile(abs);
      const decoded = content.source === 'editor' ? { ok: true as const, text: content.text } : decodeText(content.bytes);
      if (!decoded.ok) continue;
      text = decoded.text;
    } catch {
      continue;
    }
    let hitHere = false;
    splitLines(text).forEach((line, i) => {
      if (hits.length > max || !matcher.test(line)) return;
      hitHere = true;
      const trimmed = line.trim();
      hits.push(`${shown}:${i + 1}: ${trimmed.length > 300 ? `${trimmed.slice(0, 300)}…` : trimmed}`);
    });
    if (hitHere) filesWithHits++;
  }
  const notes: string[] = [];
  if (hits.length > max) notes.push(`[More matches exist: narrow the query or the include glob.]`);
  if (files.length >= SEARCH_FILE_LIMIT) notes.push(`[Only the first ${SEARCH_FILE_LIMIT} files were searched: use include to narrow.]`);
  if (skippedSecrets) notes.push(`[${skippedSecrets} secret-looking file(s) were not searched.]`);
  const shownHits = hits.slice(0, max);
  const body = shownHits.length ? shownHits.join('\n') : `No matches for ${JSON.stringify(input.query)}.`;
  return success(`${shownHits.length} matches in ${filesWithHits} files`, [body, ...notes].join('\n'));
}

export async function getSelection(scope: CallScope): Promise<Outcome> {
  const selection = scope.host.activeSelection();
  if (!selection) { scope.setTarget('(no editor)'); return success('no active editor', 'No editor is active in VS Code.'); }
  let name = selection.documentName;
  let askReason: string | undefined;
  if (selection.absPath) {
    const shown = await scope.resolver.displayPathOf(selection.absPath);
    if (!shown) askReason = 'the active file is outside the workspace';
    else if (scope.sensitive.isSecret(shown, selection.absPath)) askReason = SECRET_REASON;
    name = shown ?? selection.absPath;
  }
  scope.setTarget(`${name}:${selection.startLine}-${selection.endLine}`);
  const permission = await scope.permit('read', askReason);
  if (!permission.ok) return permission.outcome;
  const what = selection.isEmpty ? `no selection; the cursor is on line ${selection.startLine}, shown below` : `selected lines ${selection.startLine}-${selection.endLine}`;
  const text = selection.text.length > 256 * 1024 ? `${selection.text.slice(0, 256 * 1024)}\n[selection cut at 256 KB]` : selection.text;
  return success(selection.isEmpty ? 'cursor line' : `${selection.endLine - selection.startLine + 1} lines selected`, `File: ${name} (${selection.languageId}), ${what}:\n${text}`);
}

export async function getDiagnostics(scope: CallScope, input: GetDiagnosticsInput): Promise<Outcome> {
  let absPath: string | undefined;
  if (input.path) {
    const resolved = await scope.resolve(input.path);
    if (!resolved.ok) return resolved.outcome;
    absPath = resolved.value.absPath;
  } else {
    scope.setTarget('workspace');
  }
  const permission = await scope.permit('read');
  if (!permission.ok) return permission.outcome;
  const rows: string[] = [];
  let total = 0;
  const severityOrder = { error: 0, warning: 1, info: 2, hint: 3 };
  const diagnostics = [...scope.host.diagnostics(absPath)].sort((a, b) => severityOrder[a.severity] - severityOrder[b.severity]);
  for (const d of diagnostics) {
    const shown = await scope.resolver.displayPathOf(d.absPath);
    if (!shown || scope.sensitive.isSecret(shown, d.absPath)) continue;
    total++;
    if (rows.length < MAX_DIAGNOSTICS) {
      const origin = [d.source, d.code].filter(Boolean).join(' ');
      rows.push(`${shown}:${d.line}:${d.column} ${d.severity}: ${d.message.replace(/\s+/g, ' ')}${origin ? ` [${origin}]` : ''}`);
    }
  }
  if (total === 0) return success('no problems', input.path ? `No problems reported for ${input.path}.` : 'No problems reported in the workspace.');
  const more = total > rows.length ? `\n[${total - rows.length} more not shown]` : '';
  return success(`${total} problem${total === 1 ? '' : 's'}`, rows.join('\n') + more);
}
