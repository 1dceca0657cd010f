// Context the user attaches to a prompt (#-mentions, dragged files, slash commands) and the
// conversation summary written by compaction. Stored with the conversation, so a reopened chat
// shows the same chips and sends the same summary.
import * as z from './zod';

export const contextKinds = ['file', 'folder', 'selection', 'problems', 'changes', 'terminal'] as const;
export const ContextKind = z.enum(contextKinds);
export type ContextKind = z.infer<typeof ContextKind>;

/** Largest content of one chip (characters); the host truncates before this and says so. */
export const MAX_CONTEXT_CHARS = 400_000;

/** One chip: what it shows (label, size) and the content sent with the prompt. */
export const ContextAttachment = z.object({
  kind: ContextKind,
  /** What the chip says, e.g. `src/app.ts`, `src/app.ts:10-40`, `problems`. */
  label: z.string().check(z.minLength(1), z.maxLength(300)),
  /** Workspace-relative path for files, folders and selections. */
  path: z.optional(z.string().check(z.maxLength(1000))),
  language: z.optional(z.string().check(z.maxLength(80))),
  /** 1-based inclusive line range of a selection. */
  range: z.optional(z.object({ startLine: z.int().check(z.positive()), endLine: z.int().check(z.positive()) })),
  text: z.string().check(z.maxLength(MAX_CONTEXT_CHARS)),
  /** Estimated tokens of the formatted block. */
  tokens: z.int().check(z.nonnegative()),
  /** Set when the content was cut to fit (shown on the chip). */
  truncated: z.optional(z.boolean()),
});
export type ContextAttachment = z.infer<typeof ContextAttachment>;

/** An entry of the `Context` listbox. */
export const ContextOption = z.object({
  kind: ContextKind,
  label: z.string(),
  /** Secondary text: the folder of a file, or what a special entry attaches. */
  detail: z.optional(z.string()),
  /** Workspace-relative path for files and folders. */
  path: z.optional(z.string()),
});
export type ContextOption = z.infer<typeof ContextOption>;

/** An instruction file in use (AGENTS.md, CLAUDE.md, ...), shown as a chip `Instructions: <file>`. */
export const InstructionInfo = z.object({
  label: z.string(),
  tokens: z.int().check(z.nonnegative()),
  /** Why it was shortened, or another notice worth showing. */
  warning: z.optional(z.string()),
});
export type InstructionInfo = z.infer<typeof InstructionInfo>;

/** The compaction record: earlier turns replaced by a summary in requests (the transcript keeps them). */
export const ConversationCompaction = z.object({
  summary: z.string(),
  /** Id of the first message sent verbatim after the summary; the marker in the transcript sits above it. */
  firstKeptMessageId: z.string(),
  createdAt: z.number(),
  /** Estimated tokens of the summarised messages and of the summary itself. */
  tokensBefore: z.number().check(z.nonnegative()),
  tokensAfter: z.number().check(z.nonnegative()),
  /** What the summary request cost (from the gateway), when reported. */
  usdSpent: z.optional(z.number().check(z.nonnegative())),
  inputTokens: z.optional(z.number().check(z.nonnegative())),
  outputTokens: z.optional(z.number().check(z.nonnegative())),
});
export type ConversationCompaction = z.infer<typeof ConversationCompaction>;

/** The `Context window` meter. */
export const ContextMeter = z.object({
  usedTokens: z.number().check(z.nonnegative()),
  windowTokens: z.number().check(z.positive()),
  /** Share of the window at which the chat compacts automatically (0 = never). */
  compactAtPercent: z.number().check(z.gte(0), z.lte(100)),
});
export type ContextMeter = z.infer<typeof ContextMeter>;

export const slashCommandNames = ['explain', 'fix', 'tests', 'doc', 'compact', 'new'] as const;
export type SlashCommandName = (typeof slashCommandNames)[number];
export const SLASH_COMMANDS: ReadonlyArray<{ name: SlashCommandName; description: string }> = [
  { name: 'explain', description: 'Explain the selected code or the attached context' },
  { name: 'fix', description: 'Fix the problems in the selection or file' },
  { name: 'tests', description: 'Propose tests for the selection or file' },
  { name: 'doc', description: 'Write documentation comments' },
  { name: 'compact', description: 'Summarise older turns to free the context window' },
  { name: 'new', description: 'Start a new chat' },
];

/** Percent of the window used, 0-100 (rounded down so 100 means really full). */
export function meterPercent(usedTokens: number, windowTokens: number): number {
  if (!(windowTokens > 0)) return 0;
  return Math.max(0, Math.min(100, Math.floor((usedTokens / windowTokens) * 100)));
}
