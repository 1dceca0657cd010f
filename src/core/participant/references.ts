// The Chat view's references (#file, a selection, the implicit current file, resolved variables)
// as the chat view's context chips: read through the same gate (confinement, secret names and
// content) and formatted by the same code (contextBlocks.ts), so `@aiml` and the sidebar send a
// file the same way and refuse the same files.
import type { ContextAttachment } from '../../shared/context';
import { fileChip, folderChip, makeChip, rangeChip, type ChipResult, type ContextReadDeps } from '../context/contextSources';

/** A reference as the host hands it over: a file or folder, a range of a file, or resolved text. */
export type ParticipantReference =
  | { kind: 'file'; path: string }
  /** 1-based inclusive lines. */
  | { kind: 'range'; path: string; startLine: number; endLine: number }
  | { kind: 'text'; name: string; text: string };

export interface ReferenceChips {
  chips: ContextAttachment[];
  /** Why a reference was not attached (shown to the user; the answer goes on without it). */
  refused: string[];
}

async function chipOf(deps: ContextReadDeps, reference: ParticipantReference): Promise<ChipResult> {
  switch (reference.kind) {
    case 'file':
      return (await deps.host.stat(reference.path))?.kind === 'directory' ? folderChip(deps, reference.path) : fileChip(deps, reference.path);
    case 'range':
      return rangeChip(deps, reference.path, { startLine: reference.startLine, endLine: Math.max(reference.startLine, reference.endLine) });
    case 'text':
      // Text VS Code resolved itself (a #-variable): no file to check, shown under its name.
      return { ok: true, chip: makeChip({ kind: 'selection', label: reference.name, text: reference.text }) };
  }
}

export async function referenceChips(deps: ContextReadDeps, references: readonly ParticipantReference[]): Promise<ReferenceChips> {
  const result: ReferenceChips = { chips: [], refused: [] };
  for (const reference of references) {
    const chip = await chipOf(deps, reference).catch((error: Error): ChipResult => ({ ok: false, reason: error.message }));
    if (chip.ok) result.chips.push(chip.chip);
    else result.refused.push(chip.reason);
  }
  return result;
}
