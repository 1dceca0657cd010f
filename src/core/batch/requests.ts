// Builds the body of POST /v1/batches: one messages request per file. Files that cannot be sent
// usefully (binary, empty, too large, over the per-batch limit) are skipped with a reason that
// the confirmation and the report show, rather than failing the whole batch.
import { defaultMaxTokens, validateRequest } from '../api/models';
import type { MessagesRequest } from '../api/types';
import { CustomIdAllocator } from './customId';
import { fenceFor, fenceLanguage } from './languages';
import { instructionFor, systemPromptFor, type BatchTaskId } from './tasks';
import { formatBytes } from '../../shared/images';

export const DEFAULT_MAX_FILE_BYTES = 100 * 1024;
export const DEFAULT_MAX_REQUESTS = 100;

export interface BatchFileInput {
  /** Workspace-relative path shown to the model and in the report (also used for the custom id). */
  path: string;
  /** Where the host reads and writes the file (a URI string); echoed back in the entry. */
  location: string;
  bytes: Uint8Array;
}

export interface BatchRequest {
  custom_id: string;
  params: MessagesRequest;
}

export interface BatchFileEntry {
  customId: string;
  path: string;
  location: string;
  language: string;
  bytes: number;
}

export interface SkippedFile {
  path: string;
  location: string;
  reason: string;
}

export interface BuildOptions {
  task: BatchTaskId;
  customPrompt?: string;
  model: string;
  maxTokens: number;
  maxFileBytes?: number;
  maxRequests?: number;
}

export interface BuiltBatch {
  requests: BatchRequest[];
  entries: BatchFileEntry[];
  skipped: SkippedFile[];
  /** Rough input tokens (about 4 characters a token) and the output ceiling, for the confirmation. */
  estimate: { inputTokens: number; maxOutputTokens: number };
}

export type FileCheck = { ok: true; text: string } | { ok: false; reason: string };

/** Decides whether a file can be sent as text. Binary = a NUL byte or invalid UTF-8. */
export function checkFile(bytes: Uint8Array, maxFileBytes = DEFAULT_MAX_FILE_BYTES): FileCheck {
  if (bytes.length === 0) return { ok: false, reason: 'empty file' };
  const size = sizeProblem(bytes.length, maxFileBytes);
  if (size) return { ok: false, reason: size };
  if (bytes.subarray(0, 8192).includes(0)) return { ok: false, reason: 'binary file' };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, reason: 'binary file (not valid UTF-8)' };
  }
  if (!text.trim()) return { ok: false, reason: 'only whitespace' };
  return { ok: true, text }; // the decoder has already dropped a leading byte-order mark
}

/** The skip reason for a file of `size` bytes, if it is over the limit (checked before reading it). */
export function sizeProblem(size: number, maxFileBytes = DEFAULT_MAX_FILE_BYTES): string | undefined {
  return size > maxFileBytes ? `too large (${formatBytes(size)}, the limit is ${formatBytes(maxFileBytes)})` : undefined;
}

/** The setting, kept within what the model allows (64000, or 128000 for Opus 4.7). */
export function clampMaxTokens(maxTokens: number, model: string): number {
  if (!Number.isFinite(maxTokens)) return 4096;
  return Math.min(defaultMaxTokens(model), Math.max(1, Math.floor(maxTokens)));
}

/** The user message: the instruction, then the file in a fence that its content cannot close. */
export function userMessageFor(instruction: string, path: string, text: string): string {
  const fence = fenceFor(text);
  const body = text.endsWith('\n') ? text : `${text}\n`;
  return `${instruction}\n\nFile: \`${path}\`\n\n${fence}${fenceLanguage(path)}\n${body}${fence}`;
}

export function buildBatchRequests(files: readonly BatchFileInput[], options: BuildOptions): BuiltBatch {
  if (!options.model.trim()) throw new Error('No model is configured.');
  const maxRequests = Math.max(1, options.maxRequests ?? DEFAULT_MAX_REQUESTS);
  const instruction = instructionFor(options.task, options.customPrompt);
  const system = systemPromptFor(options.task);
  const maxTokens = clampMaxTokens(options.maxTokens, options.model);
  const ids = new CustomIdAllocator();
  const seen = new Set<string>();
  const requests: BatchRequest[] = [];
  const entries: BatchFileEntry[] = [];
  const skipped: SkippedFile[] = [];
  let inputChars = 0;

  for (const file of files) {
    if (seen.has(file.location)) continue; // A file and its folder may both be selected.
    seen.add(file.location);
    const check = checkFile(file.bytes, options.maxFileBytes);
    if (!check.ok) {
      skipped.push({ path: file.path, location: file.location, reason: check.reason });
      continue;
    }
    if (requests.length >= maxRequests) {
      skipped.push({ path: file.path, location: file.location, reason: `over the limit of ${maxRequests} files per batch` });
      continue;
    }
    const customId = ids.idFor(file.path);
    const content = userMessageFor(instruction, file.path, check.text);
    // Only parameters every model's request shape accepts: no temperature/top_p/top_k (absent
    // from Opus 4.7's schema), no stream (batches reject it), no thinking.
    const params: MessagesRequest = {
      model: options.model,
      max_tokens: maxTokens,
      system,
      messages: [{ role: 'user', content }],
    };
    // Every request has the same shape, so checking the first catches a bad model or setting
    // before anything is sent (the API would otherwise error each request separately).
    // Stryker disable next-line ConditionalExpression: checking every request gives the same answer as checking the first
    if (requests.length === 0) {
      const problems = validateRequest(params);
      // Stryker disable next-line StringLiteral: only the model can be wrong here (max_tokens is clamped), one problem
      if (problems.length) throw new Error(problems.join(' '));
    }
    requests.push({ custom_id: customId, params });
    entries.push({ customId, path: file.path, location: file.location, language: fenceLanguage(file.path), bytes: file.bytes.length });
    inputChars += content.length + system.length;
  }
  return {
    requests,
    entries,
    skipped,
    estimate: { inputTokens: Math.ceil(inputChars / 4), maxOutputTokens: maxTokens * requests.length },
  };
}
