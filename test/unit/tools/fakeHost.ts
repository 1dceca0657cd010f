// A ToolHost over a real temporary folder (node:fs) with scripted editor state, so the tool tests
// exercise real paths, symlinks and file contents without VS Code.
import { promises as fs, mkdtempSync, realpathSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { minimatch } from 'minimatch';
import type { WorkspaceRoot } from '../../../src/core/tools/paths';
import { findRipgrep } from '../../../src/core/tools/ripgrep';
import { FileExistsError, StaleFileError, type DiagnosticInfo, type DirectoryEntry, type EditProposal, type FileContent, type ProposalReview, type SelectionInfo, type ToolHost } from '../../../src/core/tools/toolHost';
import type { ToolRunnerSettings } from '../../../src/core/tools/toolRunner';
import type { ToolCallState } from '../../../src/shared/model';

/**
 * The ripgrep VS Code ships, from the test host `npm test` provisions (.vscode-test/host). The
 * search tests need it: search_text runs nothing else.
 */
export function testRipgrep(): string | undefined {
  const appRoot = path.resolve(__dirname, '../../../.vscode-test/host/node_modules/code-server/lib/vscode');
  return process.env.AIML_TEST_RIPGREP ?? findRipgrep(appRoot);
}

export function tempDir(prefix = 'aiml-tools-'): string {
  return realpathSync(mkdtempSync(path.join(os.tmpdir(), prefix)));
}

export async function writeFiles(root: string, files: Record<string, string>): Promise<void> {
  for (const [rel, text] of Object.entries(files)) {
    const abs = path.join(root, rel);
    await fs.mkdir(path.dirname(abs), { recursive: true });
    await fs.writeFile(abs, text);
  }
}

export class FakeReview implements ProposalReview {
  private listeners: Array<(text: string) => void> = [];
  closed = false;
  revealed = 0;
  constructor(readonly proposal: EditProposal, private text: string) {}
  currentText(): string { return this.text; }
  /** Simulates the user editing the right side of the diff. */
  userEdits(text: string): void { this.text = text; this.listeners.forEach((l) => l(text)); }
  onDidChange(listener: (text: string) => void) { this.listeners.push(listener); return { dispose: () => { this.listeners = this.listeners.filter((l) => l !== listener); } }; }
  async reveal(): Promise<void> { this.revealed++; }
  async close(): Promise<void> { this.closed = true; }
}

export class FakeHost implements ToolHost {
  selection: SelectionInfo | undefined;
  problems: DiagnosticInfo[] = [];
  /** Unsaved editor text by absolute path. */
  dirty = new Map<string, string>();
  reviews: FakeReview[] = [];
  writes: Array<{ absPath: string; newText: string }> = [];
  /** Called before each review opens, e.g. to simulate the user answering on the card. */
  onReview: ((review: FakeReview) => void) | undefined;
  ignored: string[] = ['node_modules/**', '.git/**'];

  constructor(readonly folders: WorkspaceRoot[]) {}

  roots(): WorkspaceRoot[] { return this.folders; }

  async readFile(absPath: string): Promise<FileContent> {
    const unsaved = this.dirty.get(absPath);
    if (unsaved !== undefined) return { source: 'editor', text: unsaved };
    return { source: 'disk', bytes: new Uint8Array(await fs.readFile(absPath)) };
  }

  async stat(absPath: string) {
    try {
      const s = await fs.stat(absPath);
      return { kind: s.isDirectory() ? 'directory' as const : s.isFile() ? 'file' as const : 'other' as const, size: s.size };
    } catch {
      return undefined;
    }
  }

  async listDirectory(absPath: string): Promise<DirectoryEntry[]> {
    const entries = await fs.readdir(absPath, { withFileTypes: true });
    return entries.map((e) => ({ name: e.name, kind: e.isDirectory() ? 'directory' : e.isSymbolicLink() ? 'symlink' : e.isFile() ? 'file' : 'other' }));
  }

  async findFiles(glob: string, maxResults: number): Promise<string[]> {
    const out: string[] = [];
    for (const root of this.folders) {
      const walk = async (dir: string, depth = 0): Promise<void> => {
        for (const e of await fs.readdir(dir, { withFileTypes: true })) {
          const abs = path.join(dir, e.name);
          const rel = path.relative(root.fsPath, abs).split(path.sep).join('/');
          if (this.ignored.some((p) => minimatch(rel, p, { dot: true }) || minimatch(`${rel}/x`, p, { dot: true }))) continue;
          // Like VS Code's findFiles (search.followSymlinks is on by default): links are followed and
          // returned under the link's own path, which is what the content gate has to catch.
          let kind: 'dir' | 'file' | 'other' = e.isDirectory() ? 'dir' : e.isFile() ? 'file' : 'other';
          if (e.isSymbolicLink()) {
            const target = await fs.stat(abs).catch(() => undefined);
            kind = !target ? 'file' : target.isDirectory() ? 'dir' : 'file';
            if (kind === 'dir' && depth > 3) continue;
          }
          if (kind === 'dir') await walk(abs, depth + 1);
          else if (kind === 'file' && minimatch(rel, glob, { dot: true }) && out.length < maxResults) out.push(abs);
        }
      };
      await walk(root.fsPath);
    }
    return out.sort();
  }

  async isExcluded(absPath: string, root: WorkspaceRoot): Promise<boolean> {
    const rel = path.relative(root.fsPath, absPath).split(path.sep).join('/');
    return this.ignored.some((p) => minimatch(rel, p, { dot: true }));
  }

  /** The ripgrep of the provisioned VS Code test host (see testRipgrep). */
  rgPath: string | undefined = testRipgrep();

  ripgrepPath(): string | undefined { return this.rgPath; }

  activeSelection(): SelectionInfo | undefined { return this.selection; }

  diagnostics(absPath?: string): DiagnosticInfo[] { return this.problems.filter((d) => !absPath || d.absPath === absPath); }

  async openProposal(proposal: EditProposal): Promise<ProposalReview> {
    const review = new FakeReview(proposal, proposal.proposedText);
    this.reviews.push(review);
    this.onReview?.(review);
    return review;
  }

  async applyEdit(edit: { absPath: string; baseText: string; newText: string; create: boolean }): Promise<void> {
    const exists = await this.stat(edit.absPath);
    if (edit.create && exists) throw new FileExistsError();
    if (!edit.create) {
      const current = await this.readFile(edit.absPath);
      const text = current.source === 'editor' ? current.text : Buffer.from(current.bytes).toString('utf8');
      if (text !== edit.baseText) throw new StaleFileError();
    }
    await fs.mkdir(path.dirname(edit.absPath), { recursive: true });
    await fs.writeFile(edit.absPath, edit.newText);
    this.writes.push({ absPath: edit.absPath, newText: edit.newText });
  }
}

export function settings(overrides: Partial<ToolRunnerSettings> = {}): ToolRunnerSettings {
  return {
    toolsEnabled: true, workspaceTrusted: true, autoApproveReads: true, autoApplyEdits: false,
    toolApproval: {}, secretFilePatterns: [], editorToolStyle: 'custom', ...overrides,
  };
}

/** Records every card update; the latest state per call is what the webview would show. */
export class CardLog {
  updates: ToolCallState[] = [];
  onCard = (state: ToolCallState) => { this.updates.push(structuredClone(state)); };
  latest(id: string): ToolCallState | undefined { return [...this.updates].reverse().find((u) => u.toolUseId === id); }
}
