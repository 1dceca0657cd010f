// The gateway's model catalogue in the extension: the last good list cached in global storage
// (atomic write), fetched at most once a day and on demand (`aimlChat.refreshModels`), with the
// built-in table as the offline fallback. Implements the small ModelCatalogue interface the chat
// core and the language-model provider read.
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  builtInModels, CATALOGUE_MAX_AGE_MS, CatalogueCache, CatalogueError, fetchCatalogueText, parseCatalogue, useCatalogueForRequests,
  type ModelCatalogue, type ModelInfo,
} from '../../core/api/catalogue';
import { writeFileAtomic } from '../../core/storage/atomicFile';

export interface CatalogueServiceOptions {
  folder: string;
  baseUrl: () => string;
  log: Pick<vscode.LogOutputChannel, 'info' | 'warn'>;
  now?: () => number;
  fetch?: typeof fetch;
}

export type RefreshResult = { ok: true; count: number } | { ok: false; reason: string };

export class ModelCatalogueService implements ModelCatalogue {
  private list: ModelInfo[] = builtInModels();
  private fetchedAt: number | undefined;
  private listBaseUrl: string | undefined;
  private running: Promise<RefreshResult> | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly file: string;
  private readonly now: () => number;

  constructor(private readonly options: CatalogueServiceOptions) {
    this.file = path.join(options.folder, 'models', 'catalogue.json');
    this.now = options.now ?? Date.now;
  }

  models(): ModelInfo[] {
    return [...this.list];
  }

  /** Whether the list comes from the gateway (rather than the built-in table). */
  get fromGateway(): boolean {
    return this.list[0]?.source === 'catalogue';
  }

  /** Reads the cache, then fetches when it is missing, older than a day or for another base URL. */
  async start(): Promise<void> {
    await this.loadCache();
    const fresh = this.fetchedAt !== undefined && this.now() - this.fetchedAt < CATALOGUE_MAX_AGE_MS && this.listBaseUrl === this.options.baseUrl();
    if (!fresh) await this.refresh();
  }

  /** Fetches now (one fetch at a time); a failure keeps the last good list and says why. */
  refresh(): Promise<RefreshResult> {
    this.running ??= this.fetchAndApply().finally(() => { this.running = undefined; });
    return this.running;
  }

  private async fetchAndApply(): Promise<RefreshResult> {
    const baseUrl = this.options.baseUrl();
    try {
      const models = parseCatalogue(await fetchCatalogueText(baseUrl, { fetch: this.options.fetch }));
      const fetchedAt = this.now();
      this.apply(models, fetchedAt, baseUrl);
      await writeFileAtomic(this.file, JSON.stringify({ version: 1, baseUrl, fetchedAt, models } satisfies CatalogueCache));
      this.options.log.info(`model catalogue: ${models.length} Claude models from ${baseUrl}/models`);
      return { ok: true, count: models.length };
    } catch (error) {
      const reason = error instanceof CatalogueError ? error.message : `the catalogue could not be read (${(error as Error).message})`;
      this.options.log.warn(`model catalogue not updated, keeping the ${this.fromGateway ? 'last good list' : 'built-in list'}: ${reason}`);
      return { ok: false, reason };
    }
  }

  private async loadCache(): Promise<void> {
    let text: string;
    try { text = await readFile(this.file, 'utf8'); } catch { return; }
    let json: unknown;
    try { json = JSON.parse(text); } catch { json = undefined; }
    const parsed = CatalogueCache.safeParse(json);
    if (!parsed.success) {
      this.options.log.warn('model catalogue cache is unreadable; it will be fetched again');
      return;
    }
    this.apply(parsed.data.models, parsed.data.fetchedAt, parsed.data.baseUrl);
  }

  private apply(models: ModelInfo[], fetchedAt: number, baseUrl: string): void {
    this.list = models;
    this.fetchedAt = fetchedAt;
    this.listBaseUrl = baseUrl;
    useCatalogueForRequests(models);
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }
}
