// Checks on the globs the model sends (find_files' pattern, search_text's include). Matching
// itself happens in VS Code's findFiles (ripgrep's glob engine, linear in the path), never in
// a backtracking matcher on the extension host's thread.

/** Longest glob accepted; brace expansions and `**` chains beyond it add nothing a model needs. */
export const MAX_GLOB_CHARS = 500;
const MAX_BRACE_GROUPS = 10;

/** Globs are workspace-relative: no absolute paths, no climbing out, nothing pathologically large. */
export function globRefusal(glob: string): string | undefined {
  if (glob.includes('\0')) return 'the pattern contains a NUL byte';
  if (/^([a-zA-Z]:)?[\\/]/.test(glob) || glob.startsWith('~')) return 'the pattern must be relative to the workspace';
  if (glob.split(/[\\/]/).includes('..')) return 'the pattern must not contain ".."';
  if (glob.length > MAX_GLOB_CHARS) return `the pattern is longer than ${MAX_GLOB_CHARS} characters`;
  // Stryker disable next-line ArrayDeclaration: without a brace the count is 0 (or 1 for the mutant), far under the limit either way.
  if ((glob.match(/\{/g) ?? []).length > MAX_BRACE_GROUPS) return `the pattern has more than ${MAX_BRACE_GROUPS} brace groups`;
  return undefined;
}
