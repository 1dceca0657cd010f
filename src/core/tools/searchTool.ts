// search_text: the files findFiles returns (excludes and .gitignore applied), each through the
// content gate (real path confined, secret and excluded names on the link and its target left
// out), then searched by ripgrep out of process with a time budget that Stop also ends.
import { failure, success, type CallScope, type Outcome } from './callScope';
import type { SearchTextInput } from './definitions';
import { globRefusal } from './globs';
import { ripgrepSearch } from './ripgrep';
import type { GateRefusalKind } from '../security/contentGate';

export const SEARCH_FILE_LIMIT = 5000;
export const SEARCH_FILE_MAX_BYTES = 1024 * 1024;
/** The whole search (gate and ripgrep) stops after this; what was found by then is returned. */
export const SEARCH_TIME_BUDGET_MS = 10_000;
/** The content looksLikeSecretContent recognises, in ripgrep's syntax. */
const SECRET_CONTENT_PATTERN = '"type"\\s*:\\s*"service_account"|-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----';

export async function searchText(scope: CallScope, input: SearchTextInput, timeBudgetMs = SEARCH_TIME_BUDGET_MS): Promise<Outcome> {
  scope.setTarget(input.include ? `${input.query} in ${input.include}` : input.query);
  if (input.include) {
    const refusal = globRefusal(input.include);
    if (refusal) return failure(`refused: ${refusal}`, `Refused: ${refusal}.`);
  }
  const rg = scope.host.ripgrepPath();
  if (!rg) return failure('search unavailable', "search_text is unavailable: VS Code's bundled ripgrep was not found. Use find_files and read_file instead.");
  const permission = await scope.permit('read');
  if (!permission.ok) return permission.outcome;

  const max = input.max_results ?? 50;
  const found = await scope.host.findFiles(input.include ?? '**/*', SEARCH_FILE_LIMIT, scope.signal);
  const allowed = new Map<string, string>();
  const gated: Array<{ path: string; kind: GateRefusalKind }> = [];
  for (const abs of found) {
    if (scope.signal.aborted) break;
    const verdict = await scope.gate.checkFound(abs);
    const shown = (await scope.resolver.displayPathOf(abs)) ?? abs;
    if (!verdict.ok) { gated.push({ path: shown, kind: verdict.kind }); continue; }
    // A link and its target (or two links to one file) are searched once: one entry per real path,
    // shown by the real path's own name.
    allowed.set(verdict.file.absPath, verdict.file.displayPath);
  }
  // No file let through: ripgrepSearch runs nothing and finds nothing.
  const result = await ripgrepSearch(rg, [...allowed.keys()], { pattern: input.query, isRegex: input.is_regex === true, caseSensitive: input.case_sensitive === true },
    { maxHits: max, timeoutMs: timeBudgetMs, signal: scope.signal, maxFileBytes: SEARCH_FILE_MAX_BYTES });
  if (!result.ok) {
    const what = result.kind === 'invalid_pattern' ? 'invalid regular expression' : 'search failed';
    const hint = result.kind === 'invalid_pattern' ? ' The syntax is RE2-like (Rust regex): no backreferences or look-around. Fix the pattern or set is_regex to false.' : '';
    return { ...failure(what, `${what}: ${result.message}.${hint}`), details: result.message };
  }
  // A credential under an innocent name (a service-account key, a PEM private key): files with
  // hits are looked at once more, by the same engine, and left out if they hold one.
  const withHits = [...new Set(result.hits.map((h) => h.absPath))];
  // No files with hits: ripgrepSearch runs nothing and finds nothing.
  const sniffed = await ripgrepSearch(rg, withHits, { pattern: SECRET_CONTENT_PATTERN, isRegex: true, caseSensitive: true },
    { maxHits: withHits.length, timeoutMs: timeBudgetMs, signal: scope.signal, maxFileBytes: SEARCH_FILE_MAX_BYTES });
  // A sniff that failed leaves every file with hits out: unknown content is not shown.
  const holdsSecret = new Set(sniffed.ok ? sniffed.hits.map((h) => h.absPath) : withHits);
  for (const abs of holdsSecret) gated.push({ path: allowed.get(abs) ?? abs, kind: 'secret' });
  result.hits = result.hits.filter((h) => !holdsSecret.has(h.absPath));
  const lines = result.hits.slice(0, max).map((h) => {
    const trimmed = h.text.trim();
    return `${allowed.get(h.absPath) ?? h.absPath}:${h.line}: ${trimmed.length > 300 ? `${trimmed.slice(0, 300)}…` : trimmed}`;
  });
  const files = new Set(result.hits.slice(0, max).map((h) => h.absPath)).size;
  const notes: string[] = [];
  if (result.hits.length > max) notes.push('[More matches exist: narrow the query or the include glob.]');
  if (result.stopped === 'time_budget') notes.push(`[The search stopped after its ${Math.round(timeBudgetMs / 1000)} s budget: narrow the include glob or simplify the pattern.]`);
  if (result.stopped === 'aborted') notes.push('[The search was stopped.]');
  if (found.length >= SEARCH_FILE_LIMIT) notes.push(`[Only the first ${SEARCH_FILE_LIMIT} files were searched: use include to narrow.]`);
  const secrets = gated.filter((g) => g.kind === 'secret').length;
  if (secrets) notes.push(`[${secrets} secret-looking file(s) were not searched.]`);
  const escaped = gated.length - secrets;
  if (escaped) notes.push(`[${escaped} file(s) were not searched: links leading outside the workspace, broken links or excluded files.]`);
  const body = lines.length ? lines.join('\n') : `No matches for ${JSON.stringify(input.query)}.`;
  return { ...success(`${lines.length} matches in ${files} files`, [body, ...notes].join('\n')), gated };
}
