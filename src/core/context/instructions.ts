// Instruction files: the project's standing orders for assistants (AGENTS.md, CLAUDE.md,
// .github/copilot-instructions.md) and one user-level file named in the settings. Rules:
// - only in a trusted workspace (a cloned repository must not steer the model before the user
//   has trusted it), and that includes the user file, so Restricted Mode sends none;
// - at each workspace folder's root, plus the nearest folder above the active file that has one
//   (nested projects in a monorepo), most general first so the most specific reads last;
// - each capped in size with a warning, and a total cap, so a huge file cannot eat the window.
// Reading goes through a function the host supplies (the workspace read gate), so this stays pure.
import * as path from 'node:path';
import { fencedCodeBlock } from '../util/markdownFence';
import { capText } from './contextBlocks';
import { estimateTokens } from './tokens';

export const INSTRUCTION_FILE_NAMES: readonly string[] = ['AGENTS.md', 'CLAUDE.md', '.github/copilot-instructions.md'];
export const MAX_INSTRUCTION_CHARS_PER_FILE = 24_000;
export const MAX_INSTRUCTION_CHARS_TOTAL = 48_000;

export interface InstructionQuery {
  trusted: boolean;
  /** Absolute paths of the workspace folders. */
  roots: readonly string[];
  /** Absolute path of the active editor's file, when it is in the workspace. */
  activeFile?: string;
  /** Absolute path of the user-level file (setting aimlChat.context.userInstructionsFile). */
  userFile?: string;
  maxCharsPerFile?: number;
  maxCharsTotal?: number;
}

export interface InstructionFile {
  /** `AGENTS.md`, `packages/api/CLAUDE.md`, or the user file's name with "(user)". */
  label: string;
  absPath: string;
  text: string;
  tokens: number;
  warning?: string;
}

/** Reads a file's text; undefined when it does not exist. Throws with a reason when it may not be read. */
export type InstructionReader = (absPath: string, scope: 'workspace' | 'user') => Promise<string | undefined>;

function isInside(child: string, parent: string): boolean {
  const relative = path.relative(parent, child);
  // `..` as a whole first segment, not as the start of a name: a folder called `..config` is inside.
  return relative !== '' && relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
}

/** The ordered list of candidate files (general first), before reading any. */
export function instructionCandidates(query: InstructionQuery): Array<{ absPath: string; label: string; scope: 'workspace' | 'user'; group: string }> {
  if (!query.trusted) return [];
  const out: Array<{ absPath: string; label: string; scope: 'workspace' | 'user'; group: string }> = [];
  if (query.userFile) out.push({ absPath: query.userFile, label: `${path.basename(query.userFile)} (user)`, scope: 'user', group: 'user' });
  const multiRoot = query.roots.length > 1;
  const labelFor = (root: string, absPath: string): string => {
    const rel = path.relative(root, absPath).split(path.sep).join('/');
    return multiRoot ? `${path.basename(root)}/${rel}` : rel;
  };
  for (const root of query.roots) {
    for (const name of INSTRUCTION_FILE_NAMES) out.push({ absPath: path.join(root, name), label: labelFor(root, path.join(root, name)), scope: 'workspace', group: root });
  }
  const activeRoot = query.activeFile ? query.roots.filter((r) => isInside(query.activeFile!, r)).sort((a, b) => b.length - a.length)[0] : undefined;
  if (query.activeFile && activeRoot) {
    // Every folder between the file and its root, nearest first; the first one with a file wins.
    for (let dir = path.dirname(query.activeFile); isInside(dir, activeRoot); dir = path.dirname(dir)) {
      for (const name of INSTRUCTION_FILE_NAMES) out.push({ absPath: path.join(dir, name), label: labelFor(activeRoot, path.join(dir, name)), scope: 'workspace', group: `nested:${dir}` });
    }
  }
  return out;
}

export interface InstructionResult {
  files: InstructionFile[];
  /** Files that exist but could not be read (refused by the read gate, unreadable), with the reason. */
  warnings: string[];
}

export async function discoverInstructions(query: InstructionQuery, read: InstructionReader): Promise<InstructionResult> {
  const perFile = query.maxCharsPerFile ?? MAX_INSTRUCTION_CHARS_PER_FILE;
  let budget = query.maxCharsTotal ?? MAX_INSTRUCTION_CHARS_TOTAL;
  const files: InstructionFile[] = [];
  const warnings: string[] = [];
  let nestedGroupFound: string | undefined;
  // Every send reads these before its request: a batch's files are read at once (one wait on the
  // host instead of one per file, 20-40 ms per send in the workbench). The root files and the user
  // file are one batch; nested folders go one at a time, nearest first, so nothing above the
  // nearest folder with a file is read. The results are used in the candidates' order.
  for (const batch of readingBatches(instructionCandidates(query))) {
    // Only the nearest nested folder that has instruction files counts.
    if (batch[0].group.startsWith('nested:') && nestedGroupFound) break;
    const outcomes = await Promise.all(batch.map((candidate) => read(candidate.absPath, candidate.scope).then(
      (text) => ({ text }),
      (error: unknown) => ({ error: error as Error }),
    )));
    for (const [n, candidate] of batch.entries()) {
      const outcome = outcomes[n];
      if ('error' in outcome) {
        warnings.push(`${candidate.label} was not used: ${outcome.error.message}`);
        continue;
      }
      const { text } = outcome;
      if (text === undefined || text.trim() === '') continue;
      if (candidate.group.startsWith('nested:')) nestedGroupFound = candidate.group;
      const limit = Math.min(perFile, budget);
      if (limit <= 0) {
        warnings.push(`${candidate.label} was not used: the instruction files already fill the ${query.maxCharsTotal ?? MAX_INSTRUCTION_CHARS_TOTAL}-character limit.`);
        continue;
      }
      const capped = capText(text, limit);
      budget -= capped.text.length;
      const warning = capped.truncated ? `${candidate.label} is ${text.length} characters; only the first ${capped.text.length} are used.` : undefined;
      if (warning) warnings.push(warning);
      files.push({ label: candidate.label, absPath: candidate.absPath, text: capped.text, tokens: estimateTokens(capped.text), warning });
    }
  }
  return { files, warnings };
}

type Candidate = ReturnType<typeof instructionCandidates>[number];

/** The candidates in order, cut into the batches read together: everything not nested, then each nested folder. */
function readingBatches(candidates: readonly Candidate[]): Candidate[][] {
  const batches: Candidate[][] = [];
  const keyOf = (candidate: Candidate) => (candidate.group.startsWith('nested:') ? candidate.group : '');
  for (const candidate of candidates) {
    const current = batches[batches.length - 1];
    if (current && keyOf(current[0]) === keyOf(candidate)) current.push(candidate);
    else batches.push([candidate]);
  }
  return batches;
}

/** The system-prompt section with the instruction files (it sits inside the cached prefix). */
export function formatInstructions(files: readonly InstructionFile[]): string | undefined {
  if (files.length === 0) return undefined;
  const blocks = files.map((f) => `<instructions file="${f.label.replace(/"/g, '&quot;')}">\n${fencedCodeBlock(f.text, 'markdown')}\n</instructions>`);
  return [
    'The user and the project give these standing instructions. Follow them unless the user asks otherwise in the conversation; when two disagree, the later (more specific) one wins.',
    ...blocks,
  ].join('\n\n');
}
