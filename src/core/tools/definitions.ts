// The custom tools the model may call: a zod schema per tool (validated before anything runs),
// the JSON schema sent to the API (generated from the same zod schema, toolJsonSchemas.ts),
// a description written for the model, and the approval class.
import * as z from '../../shared/zod';
import type { ApprovalClass } from './policy';
import { toolJsonSchemas } from './toolJsonSchemas';

const described = <T extends z.ZodMiniType>(schema: T, description: string): T => schema.check(z.describe(description));
const path = described(z.string().check(z.minLength(1)), 'Path relative to the workspace folder, e.g. "src/app.ts".');
const lineNumber = z.int().check(z.gte(1));

export const ReadFileInput = z.object({
  path,
  start_line: described(z.optional(lineNumber), 'First line to show (1-based). Default 1.'),
  end_line: described(z.optional(z.int().check(z.gte(-1))), 'Last line to show (inclusive); -1 or absent for the end of the file.'),
}).check(z.refine((v) => v.start_line === undefined || v.end_line === undefined || v.end_line === -1 || v.end_line >= v.start_line, {
  message: 'end_line must be at least start_line (or -1 for the end of the file)', path: ['end_line'],
}));

export const ListDirectoryInput = z.object({
  path: described(z._default(z.string(), '.'), 'Folder relative to the workspace; "." for the top.'),
});

export const FindFilesInput = z.object({
  pattern: described(z.string().check(z.minLength(1)), 'Glob relative to the workspace, e.g. "**/*.test.ts" or "src/**/index.*".'),
  max_results: described(z.optional(z.int().check(z.gte(1), z.lte(1000))), 'Default 200.'),
});

export const SearchTextInput = z.object({
  query: described(z.string().check(z.minLength(1)), 'Text to find; a regular expression in Rust/RE2 syntax (no backreferences or look-around) when is_regex is true.'),
  is_regex: z.optional(z.boolean()),
  case_sensitive: z.optional(z.boolean()),
  include: described(z.optional(z.string().check(z.minLength(1))), 'Only files matching this glob, e.g. "src/**/*.ts".'),
  max_results: described(z.optional(z.int().check(z.gte(1), z.lte(200))), 'Most matching lines to return. Default 50.'),
});

export const GetSelectionInput = z.object({});

export const GetDiagnosticsInput = z.object({
  path: described(z.optional(z.string().check(z.minLength(1))), 'A file; absent for every file with problems.'),
});

// Stryker disable next-line StringLiteral,ObjectLiteral: equivalent; zod gives an added issue without a code the code 'custom' and reports it with its own message.
const CUSTOM = { code: 'custom' as const };

export const ProposeEditInput = z.object({
  path,
  action: described(z.enum(['replace', 'insert', 'create']), 'replace: old_text → new_text. insert: new_text after line `line`. create: a new file with new_text.'),
  old_text: described(z.optional(z.string()), 'replace only: the exact text to replace, copied from the file (whitespace included, no line numbers). Must occur exactly once: include surrounding lines if needed.'),
  new_text: described(z.string(), 'The replacement, the text to insert, or the new file\'s content.'),
  line: described(z.optional(z.int().check(z.gte(0))), 'insert only: insert after this line (0 = top of the file).'),
}).check(z.superRefine((v, ctx) => {
  if (v.action === 'replace' && (v.old_text === undefined || v.old_text === '')) ctx.addIssue({ ...CUSTOM, path: ['old_text'], message: 'replace needs old_text: the exact text to replace' });
  if (v.action === 'insert' && v.line === undefined) ctx.addIssue({ ...CUSTOM, path: ['line'], message: 'insert needs line: the line to insert after (0 = top)' });
  if (v.action !== 'replace' && v.old_text !== undefined) ctx.addIssue({ ...CUSTOM, path: ['old_text'], message: `old_text is only for action "replace", not "${v.action}"` });
}));

export const RunCommandInput = z.object({
  command: described(z.string().check(z.minLength(1), z.maxLength(8000)), 'The shell command line, e.g. "npm test" or "git status". The user sees it and decides whether it runs.'),
  cwd: described(z.optional(z.string().check(z.minLength(1))), 'Working folder relative to the workspace; default the workspace folder.'),
  timeoutSeconds: described(z.optional(z.int().check(z.gte(1), z.lte(3600))), 'Stop the command after this many seconds. Default from the user\'s settings (120).'),
});

export type ReadFileInput = z.infer<typeof ReadFileInput>;
export type ListDirectoryInput = z.infer<typeof ListDirectoryInput>;
export type FindFilesInput = z.infer<typeof FindFilesInput>;
export type SearchTextInput = z.infer<typeof SearchTextInput>;
export type GetDiagnosticsInput = z.infer<typeof GetDiagnosticsInput>;
export type ProposeEditInput = z.infer<typeof ProposeEditInput>;
export type RunCommandInput = z.infer<typeof RunCommandInput>;

export const customToolNames = ['read_file', 'list_directory', 'find_files', 'search_text', 'get_selection', 'get_diagnostics', 'propose_edit', 'run_command'] as const;
export type CustomToolName = (typeof customToolNames)[number];

export interface ToolSpec {
  name: CustomToolName;
  description: string;
  schema: z.ZodMiniType;
  approvalClass: ApprovalClass;
  /** Only reads: offered in Plan mode. Anything that can change files or run something is false. */
  readOnly: boolean;
}

export const toolSpecs: Record<CustomToolName, ToolSpec> = {
  read_file: {
    name: 'read_file', approvalClass: 'read', readOnly: true, schema: ReadFileInput,
    description: 'Read a workspace file. PNG, JPEG, GIF and WebP images come back as images you can see. Text lines come numbered ("   12\\t…"); the numbers are not part of the file. Large files are cut at 2000 lines / 256 KB: ask for more with start_line/end_line. Unsaved editor changes are included.',
  },
  list_directory: {
    name: 'list_directory', approvalClass: 'read', readOnly: true, schema: ListDirectoryInput,
    description: 'List a workspace folder: one entry per line, folders end with "/".',
  },
  find_files: {
    name: 'find_files', approvalClass: 'read', readOnly: true, schema: FindFilesInput,
    description: 'Find workspace files by glob. Files excluded by files.exclude, search.exclude and .gitignore are left out.',
  },
  search_text: {
    name: 'search_text', approvalClass: 'read', readOnly: true, schema: SearchTextInput,
    description: 'Search the text of workspace files (excluded and ignored files left out). Returns "path:line: text" lines.',
  },
  get_selection: {
    name: 'get_selection', approvalClass: 'read', readOnly: true, schema: GetSelectionInput,
    description: "The user's active editor: file path, selected lines and the selected text (the cursor line when nothing is selected).",
  },
  get_diagnostics: {
    name: 'get_diagnostics', approvalClass: 'read', readOnly: true, schema: GetDiagnosticsInput,
    description: 'Errors and warnings VS Code currently shows (compiler, linter) for one file or for the whole workspace.',
  },
  propose_edit: {
    name: 'propose_edit', approvalClass: 'edit', readOnly: false, schema: ProposeEditInput,
    description: 'Propose a change to one file. The user reviews it in a diff and may apply all of it, part of it, edit it, or discard it; the result tells you what happened. Read the file first and copy old_text exactly. One change per call; several calls may be made in one message.',
  },
  run_command: {
    name: 'run_command', approvalClass: 'command', readOnly: false, schema: RunCommandInput,
    description: 'Run a shell command in the workspace (build, tests, git status, ...). The user sees the command and its folder and may deny it. Returns the exit code and the output (long output is cut in the middle). Prefer one simple command per call; chained or piped commands always need the user\'s approval. Not interactive: commands that wait for input hang until the timeout.',
  },
};

/**
 * The JSON schema sent as `input_schema` (draft 2020-12, without `$schema`). Generated from the zod
 * schemas above into toolJsonSchemas.ts, which a unit test keeps in step with them: zod's JSON
 * Schema generator would add ~21 KB to the extension bundle for data that never changes at runtime.
 */
export function inputJsonSchema(name: CustomToolName): Record<string, unknown> {
  return structuredClone(toolJsonSchemas[name]);
}

/** "path: Invalid input; line: insert needs line" — short enough for the model to act on. */
export function describeZodError(error: z.core.$ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : '(input)'}: ${issue.message}`)
    .join('; ');
}
