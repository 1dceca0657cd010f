// Context for the sidebar chat, on the host: answers the `Context` listbox (file index + special
// sources), turns picks and Explorer drops into chips, keeps the instruction files and the
// `Context window` meter current, and handles slash commands before a prompt reaches the session.
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ContextAttachment, ContextOption, InstructionInfo } from '../../shared/context';
import type { HostToWebview, WebviewToHost } from '../../shared/protocol';
import type { ChatSession } from '../../core/chat/session/chatSession';
import { contextMeterOf } from '../../core/chat/session/compaction';
import type { ChatSessionDeps } from '../../core/chat/session/types';
import { fileChip, folderChip, problemsChip, readForContext, selectionChip, type ChipResult, type ContextReadDeps } from '../../core/context/contextSources';
import { discoverInstructions, formatInstructions } from '../../core/context/instructions';
import { COMMAND_CONTEXT, parseSlashCommand, promptForCommand } from '../../core/context/slashCommands';
import { PathResolver } from '../../core/tools/paths';
import { SensitivePaths } from '../../core/tools/sensitivePaths';
import type { ToolHost } from '../../core/tools/toolHost';
import type { ChatSettings } from '../config';
import { changesChip, TerminalRecorder } from './editorSources';
import { WorkspaceFileIndex } from './fileIndex';

export interface ChatContextDeps {
  session: ChatSession;
  sessionDeps: ChatSessionDeps;
  host: ToolHost;
  settings(): ChatSettings;
  post(message: HostToWebview): void;
  log: { info(m: string): void; warn(m: string): void };
}

const IMAGE_NAME = /\.(png|jpe?g|gif|webp)$/i;

export class ChatContext implements vscode.Disposable {
  private readonly index = new WorkspaceFileIndex();
  private readonly terminal = new TerminalRecorder();
  private instructionText: string[] = [];
  private instructionFiles: InstructionInfo[] = [];
  private readonly subscription: { dispose(): void };

  constructor(private readonly deps: ChatContextDeps) {
    this.subscription = deps.session.subscribe((event) => {
      if (event.type === 'conversationShown' || event.type === 'messageFinished' || (event.type === 'busyChanged' && !event.busy)) this.postMeter();
    });
  }

  /** The session's systemPromptAdditions: the instruction files as last discovered. */
  systemPromptAdditions(): readonly string[] {
    return this.instructionText;
  }

  get instructions(): readonly InstructionInfo[] {
    return this.instructionFiles;
  }

  onViewReady(): void {
    this.index.warm();
    this.postMeter();
    void this.refreshInstructions();
  }

  postMeter(): void {
    this.deps.post({ type: 'contextMeter', meter: contextMeterOf(this.deps.sessionDeps, this.deps.session.conversation, this.deps.settings()) });
  }

  /** A prompt from the view: slash commands first, then the session (instruction files re-read per send). */
  async send(message: Extract<WebviewToHost, { type: 'send' }>): Promise<void> {
    const command = parseSlashCommand(message.text);
    if (command?.name === 'new') return this.deps.session.newChat();
    if (command?.name === 'compact') {
      const result = await this.deps.session.compact();
      if (result.kind === 'nothing') this.deps.post({ type: 'error', error: { kind: 'config', message: result.message } });
      return;
    }
    let text = message.text;
    let chips: ContextAttachment[] = message.context ?? [];
    if (command) {
      text = promptForCommand(command) ?? text;
      if (chips.length === 0) chips = await this.automaticContext(COMMAND_CONTEXT[command.name as keyof typeof COMMAND_CONTEXT]);
    }
    await this.refreshInstructions();
    return this.deps.session.send({ text, images: message.attachments, chips, mode: message.mode });
  }

  async query(requestId: number, query: string): Promise<void> {
    let options: ContextOption[] = [];
    try {
      options = (await this.index.search(query, 50)).map((entry) => ({
        kind: entry.isFolder ? 'folder' : 'file',
        label: entry.path,
        path: entry.path,
        detail: path.posix.dirname(entry.path) === '.' ? undefined : path.posix.dirname(entry.path),
      }));
    } catch (error) {
      this.deps.log.warn(`listing workspace files failed: ${(error as Error).message}`);
    }
    this.deps.post({ type: 'contextOptions', requestId, options });
  }

  async pick(option: ContextOption): Promise<ChipResult> {
    const result = await this.chipFor(option).catch((error: Error) => ({ ok: false as const, reason: error.message }));
    if (result.ok) this.deps.post({ type: 'contextChip', chip: result.chip });
    else this.deps.post({ type: 'contextError', label: option.label, message: result.reason });
    return result;
  }

  /** Files dragged from the Explorer: non-images become chips; the image URIs are returned for the image pipeline. */
  async attachUris(uris: string[]): Promise<string[]> {
    const images: string[] = [];
    for (const raw of uris) {
      const uri = vscode.Uri.parse(raw, true);
      if (IMAGE_NAME.test(uri.path) || uri.scheme !== 'file') {
        images.push(raw);
        continue;
      }
      const stat = await vscode.workspace.fs.stat(uri).then((s) => s, () => undefined);
      const kind = stat && stat.type & vscode.FileType.Directory ? 'folder' : 'file';
      await this.pick({ kind, label: vscode.workspace.asRelativePath(uri, true), path: uri.fsPath });
    }
    return images;
  }

  async refreshInstructions(): Promise<void> {
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
    const active = vscode.window.activeTextEditor?.document.uri;
    const settings = this.deps.settings();
    const configured = settings.userInstructionsFile ?? '';
    const userFile = configured ? path.resolve(configured.replace(/^~(?=$|[\\/])/, os.homedir())) : undefined;
    const readDeps = this.readDeps(settings);
    const { files, warnings } = await discoverInstructions({
      trusted: vscode.workspace.isTrusted,
      roots: folders.map((f) => f.uri.fsPath),
      activeFile: active?.scheme === 'file' ? active.fsPath : undefined,
      userFile,
    }, async (absPath, scope) => {
      if (scope === 'user') return fs.readFile(absPath, 'utf8').catch((error: NodeJS.ErrnoException) => {
        throw new Error(error.code === 'ENOENT' ? `the file named in aimlChat.context.userInstructionsFile does not exist (${absPath})` : error.message);
      });
      // Most candidates do not exist: asked of the local disk (the roots are file: folders), not
      // through the workbench (workspace.fs: 6-57 ms per send on a busy machine). A file that exists
      // is read through the read gate below, open editors' unsaved text included.
      if (!(await fs.stat(absPath).then(() => true, () => false))) return undefined;
      const read = await readForContext(readDeps, absPath);
      if (!read.ok) throw new Error(read.reason);
      return read.text;
    });
    for (const warning of warnings) this.deps.log.warn(warning);
    const text = formatInstructions(files);
    this.instructionText = text ? [text] : [];
    this.instructionFiles = files.map((f) => ({ label: f.label, tokens: f.tokens, ...(f.warning ? { warning: f.warning } : {}) }));
    this.deps.post({ type: 'instructions', files: this.instructionFiles });
  }

  dispose(): void {
    this.subscription.dispose();
    this.index.dispose();
    this.terminal.dispose();
  }

  private readDeps(settings = this.deps.settings()): ContextReadDeps {
    const host = this.deps.host;
    return { host, resolver: new PathResolver(host.roots()), sensitive: new SensitivePaths(settings.secretFilePatterns) };
  }

  private async chipFor(option: ContextOption): Promise<ChipResult> {
    // Chips read workspace content: like the tools, not in Restricted Mode.
    if (!vscode.workspace.isTrusted && option.kind !== 'terminal') return { ok: false, reason: 'workspace content cannot be attached in Restricted Mode; trust the workspace first' };
    const deps = this.readDeps();
    switch (option.kind) {
      case 'file': return fileChip(deps, option.path ?? option.label);
      case 'folder': return folderChip(deps, option.path ?? option.label);
      case 'selection': return selectionChip(deps);
      case 'problems': return problemsChip(deps);
      case 'changes': return changesChip((rel) => deps.sensitive.isSecret(rel));
      case 'terminal': return this.terminal.chip();
    }
  }

  private async automaticContext(kinds: readonly ContextOption['kind'][]): Promise<ContextAttachment[]> {
    const chips: ContextAttachment[] = [];
    for (const kind of kinds) {
      const result = await this.chipFor({ kind, label: kind }).catch(() => undefined);
      if (result?.ok) chips.push(result.chip);
    }
    return chips;
  }
}

