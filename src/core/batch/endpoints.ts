// Every batch path lives here. The create and cancel paths are documented by the gateway; status
// and results are not in the seed documents, so they come from settings and are tested against
// the local stand-in. All paths are relative to the configured base URL.

export const DEFAULT_BATCH_STATUS_PATH = '/v1/batches/{batch_id}';
export const DEFAULT_BATCH_RESULTS_PATH = '/v1/batches/{batch_id}/results';

export interface BatchPathSettings {
  /** e.g. `/v1/batches/{batch_id}`; `{batch_id}` is replaced (URL-encoded). */
  statusPath?: string;
  resultsPath?: string;
}

/** Where a results request should go: a path under the base URL, and why it was chosen. */
export interface ResultsLocation {
  path: string;
  source: 'results_url' | 'settings';
  /** Set when the batch named a results_url that was not used (for the log). */
  ignoredResultsUrl?: string;
}

export class BatchEndpoints {
  readonly create = '/v1/batches';
  private readonly statusTemplate: string;
  private readonly resultsTemplate: string;

  constructor(settings: BatchPathSettings = {}) {
    this.statusTemplate = normalizeTemplate(settings.statusPath, DEFAULT_BATCH_STATUS_PATH);
    this.resultsTemplate = normalizeTemplate(settings.resultsPath, DEFAULT_BATCH_RESULTS_PATH);
  }

  status(batchId: string): string {
    return fill(this.statusTemplate, batchId);
  }

  cancel(batchId: string): string {
    return fill('/v1/batches/cancel/{batch_id}', batchId);
  }

  /**
   * Picks the results location. A `results_url` from the status body wins when it is relative
   * or points under the same base URL; an absolute URL on another origin is ignored, because
   * following it would send the API key to a host the user did not configure.
   */
  results(batchId: string, baseUrl: string, resultsUrl?: string | null): ResultsLocation {
    const fromSettings: ResultsLocation = { path: fill(this.resultsTemplate, batchId), source: 'settings' };
    if (!resultsUrl) return fromSettings;
    const underBase = pathUnderBase(resultsUrl, baseUrl);
    if (underBase === undefined) return { ...fromSettings, ignoredResultsUrl: resultsUrl };
    return { path: underBase, source: 'results_url' };
  }
}

function normalizeTemplate(value: string | undefined, fallback: string): string {
  const trimmed = (value ?? '').trim();
  if (!trimmed) return fallback;
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

function fill(template: string, batchId: string): string {
  // encodeURIComponent keeps an odd id from adding path segments or a query.
  return template.split('{batch_id}').join(encodeURIComponent(batchId));
}

/**
 * Turns a results_url into a path under `baseUrl`, or undefined when it leaves the base URL.
 * A relative URL starting with `/` is taken relative to the base URL (a gateway behind a path
 * prefix answers with paths under that prefix or without it; both forms occur, and the base
 * URL's own prefix is not repeated).
 */
export function pathUnderBase(resultsUrl: string, baseUrl: string): string | undefined {
  const base = new URL(baseUrl.replace(/\/+$/, '') + '/');
  const basePrefix = base.pathname.replace(/\/+$/, '');
  let target: URL;
  try {
    target = new URL(resultsUrl, base);
  } catch {
    return undefined;
  }
  if (target.origin !== base.origin) return undefined;
  if (target.protocol !== 'http:' && target.protocol !== 'https:') return undefined;
  let path = target.pathname;
  if (basePrefix && (path === basePrefix || path.startsWith(basePrefix + '/'))) path = path.slice(basePrefix.length) || '/';
  return path + target.search;
}
