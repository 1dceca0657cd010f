// The batch API calls: create, retrieve, cancel and results download, validated with zod.
import { makeError } from '../api/errors';
import { BatchEndpoints } from './endpoints';
import type { BatchHttp } from './http';
import type { BatchRequest } from './requests';
import { parseResultLines, type ParsedResults } from './results';
import { BatchObject } from './schemas';

export interface BatchClientOptions {
  http: BatchHttp;
  endpoints: BatchEndpoints;
  baseUrl: string;
  /** Told when a results_url is ignored (another origin), for the log. */
  onNotice?: (message: string) => void;
}

export class BatchClient {
  constructor(private readonly options: BatchClientOptions) {}

  async create(requests: readonly BatchRequest[], signal?: AbortSignal): Promise<BatchObject> {
    if (requests.length === 0) throw new Error('A batch needs at least one request.');
    const body = await this.options.http.request('POST', this.options.endpoints.create, { requests }, signal);
    return parseBatch(body, 'create');
  }

  async retrieve(batchId: string, signal?: AbortSignal): Promise<BatchObject> {
    const body = await this.options.http.request('GET', this.options.endpoints.status(batchId), undefined, signal);
    return parseBatch(body, 'status');
  }

  async cancel(batchId: string, signal?: AbortSignal): Promise<BatchObject> {
    const body = await this.options.http.request('POST', this.options.endpoints.cancel(batchId), undefined, signal);
    return parseBatch(body, 'cancel');
  }

  /** Downloads the JSON-lines results of an ended batch, unparsed (the host keeps a copy). */
  async resultsText(batch: Pick<BatchObject, 'id' | 'results_url'>, signal?: AbortSignal): Promise<string> {
    const location = this.options.endpoints.results(batch.id, this.options.baseUrl, batch.results_url);
    if (location.ignoredResultsUrl) {
      this.options.onNotice?.(`results_url ${location.ignoredResultsUrl} is not under the configured base URL; using ${location.path} instead`);
    }
    return this.options.http.requestText('GET', location.path, signal);
  }

  /** Downloads and parses the results of an ended batch. */
  async results(batch: Pick<BatchObject, 'id' | 'results_url'>, signal?: AbortSignal): Promise<ParsedResults> {
    return parseResultLines(await this.resultsText(batch, signal));
  }
}

function parseBatch(body: unknown, what: string): BatchObject {
  const parsed = BatchObject.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
    throw makeError('malformed_response', { detail: `the ${what} answer is not a batch object${where}: ${issue?.message ?? 'invalid'}` });
  }
  return parsed.data;
}
