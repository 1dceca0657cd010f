// The read-only tools: each resolves and confines its paths, passes the approval gate, then asks
// the host. Secret-looking files are gated with an explicit Allow and left out of searches.
import { estimateImageTokens, planScaledSize, sniffImageType } from '../../shared/images';
import { checkPickedImage, imageTypeLabel, toolImageContent } from '../images/imageFiles';
import { looksLikeSecretContent, SECRET_REASON, type GateRefusalKind } from '../security/contentGate';
import { failure, refused, success, type CallScope, type Outcome } from './callScope';
import type { FindFilesInput, GetDiagnosticsInput, ListDirectoryInput, ReadFileInput } from './definitions';
import { globRefusal } from './globs';
import { decodeText, numberedView } from './text';

export { searchText } from './searchTool';

const MAX_FILE_BYTES_TO_OPEN = 10 * 1024 * 1024;
const MAX_LIST_ENTRIES = 500;
const MAX_DIAGNOSTICS = 200;
const WORKSPACE_HINT = ' Tools can only use files inside the workspace folders.';

export async function readFile(scope: CallScope, input: ReadFileInput): Promise<Outcome> {
  const verdict = await scope.gate.checkNamed(input.path);
  // A secret-looking file may still be read after an explicit Allow; every other refusal is final.
  // A `secret` verdict always carries the confined file (contentGate.ts): were one ever without it,
  // reading `file.displayPath` below throws and nothing is read.
  if (!verdict.ok && verdict.kind !== 'secret') return refused(verdict.kind, verdict.reason, WORKSPACE_HINT);
  const file = verdict.file!;
  scope.setTarget(file.displayPath);
  const stat = await scope.host.stat(file.absPath);
  if (!stat) return failure('not found', `${file.displayPath} does not exist. Use find_files or list_directory to locate it.`);
  if (stat.kind === 'directory') return failure('is a folder', `${file.displayPath} is a folder; use list_directory.`);
  if (stat.size > MAX_FILE_BYTES_TO_OPEN) return failure('file too large', `${file.displayPath} is ${stat.size} bytes, too large to read; use search_text to find the part you need.`);
  const range = input.start_line !== undefined || input.end_line !== undefined ? `:${input.start_line ?? 1}-${input.end_line ?? 'end'}` : '';
  scope.setTarget(`${file.displayPath}${range}`);
  // Read before asking: a credential under an innocent name (a service-account key, a PEM private
  // key) also needs the explicit Allow. Nothing leaves this process before the permission.
  const content = await scope.host.readFile(file.absPath);
  const sniffed = content.source === 'editor' ? content.text : new TextDecoder().decode(content.bytes.subarray(0, 64 * 1024));
  const permission = await scope.permit('read', !verdict.ok || looksLikeSecretContent(sniffed) ? SECRET_REASON : undefined);
  if (!permission.ok) return permission.outcome;

  // Images are recognised by their bytes, whatever the name says; bytes that happen to start like
  // an image but are valid text (a "GIF89a" note, a misnamed .png) are read as text.
  const decoded = content.source === 'editor' ? { ok: true as const, text: content.text } : decodeText(content.bytes);
  if (!decoded.ok) {
    // Stryker disable next-line ConditionalExpression: only bytes from disk can fail to decode (editor text always decodes); the source check narrows the type.
    if (content.source === 'disk' && sniffImageType(content.bytes)) return readImage(file.displayPath, content.bytes);
    return failure(decoded.reason, `${file.displayPath}: ${decoded.reason}.`);
  }
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
  const gated: Array<{ path: string; kind: GateRefusalKind }> = [];
  for (const abs of found) {
    const shown = await scope.resolver.displayPathOf(abs);
    // Names are not content, so secret-looking files are listed (read_file then asks); links
    // leading outside, broken links and excluded targets are not.
    const verdict = await scope.gate.checkFound(abs);
    // Stryker disable next-line StringLiteral: a file the gate lets through always has a display name, so the placeholder kind is unreachable.
    if (!shown || (!verdict.ok && verdict.kind !== 'secret')) { gated.push({ path: shown ?? abs, kind: verdict.ok ? 'outside_workspace' : verdict.kind }); continue; }
    paths.push(shown);
  }
  paths.sort();
  const more = paths.length > max ? `\n[More files match: narrow the pattern or raise max_results.]` : '';
  if (paths.length === 0) return { ...success('no files', `No files match ${input.pattern} (excluded and git-ignored files are left out).`), gated };
  return { ...success(`${Math.min(paths.length, max)} files`, paths.slice(0, max).join('\n') + more), gated };
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
    // Messages can quote the file's code: the same gate as a read, without the ignore rules.
    const verdict = await scope.gate.checkFound(d.absPath, { applyIgnore: false });
    if (!verdict.ok) continue;
    const shown = verdict.file.displayPath;
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
