// File extension → the language tag of a markdown code fence. The tag only helps the model and
// the report's highlighting, so unknown extensions simply get no tag.

// Maps, not object literals: a file named `constructor` or `x.__proto__` must not find
// Object.prototype's members (the fence would read "function Object() { [native code] }").
const byExtension = new Map(Object.entries({
  ts: 'typescript', tsx: 'tsx', mts: 'typescript', cts: 'typescript',
  js: 'javascript', jsx: 'jsx', mjs: 'javascript', cjs: 'javascript',
  py: 'python', rb: 'ruby', go: 'go', rs: 'rust', java: 'java', kt: 'kotlin', kts: 'kotlin',
  swift: 'swift', c: 'c', h: 'c', cc: 'cpp', cpp: 'cpp', cxx: 'cpp', hpp: 'cpp', hh: 'cpp',
  cs: 'csharp', fs: 'fsharp', php: 'php', scala: 'scala', dart: 'dart', lua: 'lua', r: 'r',
  sh: 'bash', bash: 'bash', zsh: 'bash', ps1: 'powershell', sql: 'sql',
  html: 'html', htm: 'html', css: 'css', scss: 'scss', less: 'less', vue: 'vue', svelte: 'svelte',
  json: 'json', jsonc: 'jsonc', yaml: 'yaml', yml: 'yaml', toml: 'toml', xml: 'xml', ini: 'ini',
  md: 'markdown', markdown: 'markdown', tex: 'latex', dockerfile: 'dockerfile', makefile: 'makefile',
}));

const byName = new Map(Object.entries({ dockerfile: 'dockerfile', makefile: 'makefile', gnumakefile: 'makefile' }));

export function fenceLanguage(path: string): string {
  const name = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1).toLowerCase();
  const named = byName.get(name);
  if (named) return named;
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return '';
  return byExtension.get(name.slice(dot + 1)) ?? '';
}

/**
 * A fence that the content cannot close early: one backtick longer than the longest backtick
 * run at a line start inside the content (CommonMark closes a fence only with at least as many).
 */
export function fenceFor(content: string): string {
  let longest = 2;
  for (const match of content.matchAll(/^[ \t]*(`{3,})/gm)) longest = Math.max(longest, match[1].length);
  return '`'.repeat(longest + 1);
}
