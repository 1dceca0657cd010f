// Anthropic's own text editor tool (`text_editor_20250728`, name `str_replace_based_edit_tool`),
// which Claude models are trained on, mapped onto the same confined reads and reviewed edits as
// the custom tools: view → read_file / list_directory, create / str_replace / insert → the edit flow.
import * as z from '../../shared/zod';
import type { ApiToolDefinition } from '../api/types';
import { failure, type CallScope, type Outcome } from './callScope';
import { describeZodError } from './definitions';
import { runEdit } from './editFlow';
import { textEditorVocabulary } from './edits';
import { listDirectory, readFile } from './readTools';

export const TEXT_EDITOR_TOOL_NAME = 'str_replace_based_edit_tool';
export const TEXT_EDITOR_TOOL_TYPE = 'text_editor_20250728';

export const textEditorDefinition: ApiToolDefinition = { type: TEXT_EDITOR_TOOL_TYPE, name: TEXT_EDITOR_TOOL_NAME };

const path = z.string().check(z.minLength(1));
export const TextEditorInput = z.discriminatedUnion('command', [
  z.object({ command: z.literal('view'), path, view_range: z.optional(z.tuple([z.int().check(z.gte(1)), z.int().check(z.gte(-1))])) }),
  z.object({ command: z.literal('create'), path, file_text: z.string() }),
  z.object({ command: z.literal('str_replace'), path, old_str: z.string().check(z.minLength(1)), new_str: z._default(z.string(), '') }),
  // Older tool versions named the inserted text `new_str`; accept both.
  z.object({ command: z.literal('insert'), path, insert_line: z.int().check(z.gte(0)), insert_text: z.optional(z.string()), new_str: z.optional(z.string()) })
    .check(z.refine((v) => v.insert_text !== undefined || v.new_str !== undefined, { message: 'insert needs insert_text', path: ['insert_text'] })),
  z.object({ command: z.literal('undo_edit'), path }),
]);
export type TextEditorInput = z.infer<typeof TextEditorInput>;

/** The custom tool a command behaves like: its per-tool approval setting applies too. */
export function equivalentToolName(input: unknown): string {
  const command = (input as { command?: unknown } | null)?.command;
  if (command === 'view') return 'read_file';
  return 'propose_edit';
}

export function parseTextEditorInput(input: unknown): { ok: true; value: TextEditorInput } | { ok: false; message: string } {
  const parsed = TextEditorInput.safeParse(input);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, message: `Invalid input for ${TEXT_EDITOR_TOOL_NAME}: ${describeZodError(parsed.error)}` };
}

export async function runTextEditor(scope: CallScope, input: TextEditorInput): Promise<Outcome> {
  switch (input.command) {
    case 'view': {
      const resolved = await scope.resolver.resolve(input.path);
      const stat = resolved.ok ? await scope.host.stat(resolved.value.absPath) : undefined;
      if (stat?.kind === 'directory') return listDirectory(scope, { path: input.path });
      const [start, end] = input.view_range ?? [];
      return readFile(scope, { path: input.path, start_line: start, end_line: end });
    }
    case 'create':
      return runEdit(scope, input.path, { action: 'create', newText: input.file_text }, textEditorVocabulary);
    case 'str_replace':
      // Stryker disable next-line StringLiteral: computeEdit treats every action other than create and insert as a replace
      return runEdit(scope, input.path, { action: 'replace', oldText: input.old_str, newText: input.new_str }, textEditorVocabulary);
    case 'insert': {
      // Stryker disable next-line StringLiteral: the schema requires insert_text or new_str, so the '' is never used
      const newText = input.insert_text ?? input.new_str ?? '';
      return runEdit(scope, input.path, { action: 'insert', line: input.insert_line, newText }, textEditorVocabulary);
    }
    case 'undo_edit':
      return failure('undo_edit is not supported', 'undo_edit is not supported: the user undoes edits in the editor. Propose a new str_replace instead.');
  }
}

