// The batch API calls as the gateway documents them: create, the one read that answers the status
// object while a batch runs and the JSON-lines results once it has ended, and cancel. Which of the
// two a read returned is decided by the body, never by the status code (both come with a 200).
import { isRecord } from '../../shared/records';
import { makeError } from '../api/errors';
import { batchEndpoints } from './endpoints';
import type { BatchHttp } from './http';
import type { BatchRequest } from './requests';
import { parseResultLines, type ParsedResults } from './results';
import { BatchObject, emptyCounts } from './schemas';

export interface BatchClientOptions {
  http: BatchHttp;
}

/** What one read of a batch answered. */
export type BatchRead =
  | { kind: 'status'; batch: BatchObject }
  /** `batch` is derived from the results (ended, counts per outcome); `text` is kept as the raw copy. */
  | { kind: 'results'; batch: BatchObject; text: string; results: ParsedResults };

export class BatchClient {
  constructor(private readonly options: BatchClientOptions) {}

  async create(requests: readonly BatchRequest[], signal?: AbortSignal): Promise<BatchObject> {
    if (requests.length === 0) throw new Error('A batch needs at least one request.');
    const body = await this.options.http.request('POST', batchEndpoints.create, { requests }, signal);
    return parseBatch(body, 'create');
  }

  /** GET /v1/batches?batch_id=: the status while the batch runs, its results once it has ended. */
  async read(batchId: string, signal?: AbortSignal): Promise<BatchRead> {
    const text = await this.options.http.requestText('GET', batchEndpoints.read(batchId), signal);
    return classifyBatchRead(batchId, text);
  }

  async cancel(batchId: string, signal?: AbortSignal): Promise<BatchObject> {
    const body = await this.options.http.request('POST', batchEndpoints.cancel(batchId), undefined, signal);
    return parseBatch(body, 'cancel');
  }
}

/**
 * Reads for a BatchPoller: `retrieve` reads the batch, `isDone` is true once the read answered
 * the results (an `ended` status without results is read again), `last()` is that read.
 */
export function resultsPolling(client: BatchClient, batchId: string): { retrieve: (signal: AbortSignal) => Promise<BatchObject>; isDone: () => boolean; last: () => BatchRead | undefined } {
  let last: BatchRead | undefined;
  return {
    retrieve: async (signal) => (last = await client.read(batchId, signal)).batch,
    isDone: () => last?.kind === 'results',
    last: () => last,
  };
}

const isResultLine = (value: unknown): boolean => isRecord(value) && typeof value.custom_id === 'string';

/**
 * Tells the status object from the results by the body. Results are JSON lines (or, as the docs'
 * own example allows, one JSON array) of `{custom_id, result}`; the status is one JSON object (the
 * docs show it bare or wrapped in a one-element array) with the batch `id`.
 */
export function classifyBatchRead(batchId: string, text: string): BatchRead {
  const body = text.trim(); // trim() drops a byte-order mark too
  if (!body) throw makeError('malformed_response', { detail: `the read of batch ${batchId} answered an empty body` });
  let whole: unknown;
  let parsedWhole = true;
  try { whole = JSON.parse(body); } catch { parsedWhole = false; }

  if (parsedWhole) {
    if (Array.isArray(whole) && whole.length > 0 && whole.every(isResultLine)) return results(batchId, whole.map((line) => JSON.stringify(line)).join('\n') + '\n');
    if (isResultLine(whole)) return results(batchId, body + '\n');
    const candidate = Array.isArray(whole) && whole.length === 1 ? whole[0] : whole;
    if (isRecord(candidate) && typeof candidate.id === 'string') return { kind: 'status', batch: parseBatch(normalizeStatus(candidate), 'status') };
    throw makeError('malformed_response', { detail: `the read of batch ${batchId} answered neither a batch status nor results` });
  }
  // Not one JSON document: JSON lines. The first line decides; bad later lines are reported per line.
  const firstLine = body.split(/\r?\n/, 1)[0];
  let first: unknown;
  try { first = JSON.parse(firstLine); } catch { /* judged below */ }
  if (isResultLine(first)) return results(batchId, body + '\n');
  throw makeError('malformed_response', { detail: `the read of batch ${batchId} is neither JSON nor JSON lines of results` });
}

/** The docs also show a short status, `{id, status: "generating"}`, without processing_status. */
function normalizeStatus(value: Record<string, unknown>): Record<string, unknown> {
  if (typeof value.processing_status === 'string') return value;
  const status = String(value.status).toLowerCase();
  return { ...value, processing_status: status === 'canceling' || status === 'cancelling' ? 'canceling' : 'in_progress' };
}

function results(batchId: string, text: string): BatchRead {
  const parsed = parseResultLines(text);
  const counts = emptyCounts();
  for (const outcome of parsed.outcomes) counts[outcome.type]++;
  const batch = BatchObject.parse({ id: batchId, type: 'message_batch', processing_status: 'ended', request_counts: counts });
  return { kind: 'results', batch, text, results: parsed };
}

function parseBatch(body: unknown, what: string): BatchObject {
  const parsed = BatchObject.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]; // a failed parse has at least one
    const where = issue.path.length ? ` at ${issue.path.join('.')}` : '';
    throw makeError('malformed_response', { detail: `the ${what} answer is not a batch object${where}: ${issue.message}` });
  }
  return parsed.data;
}
