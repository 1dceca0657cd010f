// Message batches as the gateway documents them: create, read (a batch progresses as it is read, or
// with the clock; the read answers JSON-lines results once it has ended), cancel. Scripted outcomes let tests see every result
// type: a custom_id starting with "scripted-error" or "scripted-expire" (or `[[batch:error]]` /
// `[[batch:expire]]` in the prompt) errors or expires; "scripted-slow" (or `[[batch:slow]]`) keeps the
// batch running until it is canceled. Only explicit markers count, so real file names such as
// errors.ts behave normally in the sandbox.
import { lastPromptText } from './scenarios';
import { newId } from './util';
import { validateMessagesRequest, type ValidRequest } from './validate';

export interface BatchTiming {
  /** A request finishes per this many status polls (default 1). */
  pollsPerRequest?: number;
  /** When set, a request finishes per this many milliseconds instead. */
  stepMs?: number;
}

type Outcome = 'succeeded' | 'errored' | 'canceled' | 'expired';

interface BatchItem {
  customId: string;
  /** What the request will become when it is processed. */
  planned: { type: 'succeeded'; message: unknown } | { type: 'errored'; errorType: string; message: string } | { type: 'expired' };
  outcome?: Outcome;
}

interface Batch {
  id: string;
  createdMs: number;
  items: BatchItem[];
  polls: number;
  slow: boolean;
  cancelInitiatedAt: string | null;
  endedAt: string | null;
}

export type BatchReply = { status: number; body: unknown; contentType?: string } | { status: number; errorType: string; message: string };

const DAY_MS = 24 * 60 * 60 * 1000;
const CUSTOM_ID_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;

export class BatchStore {
  private readonly batches = new Map<string, Batch>();

  constructor(private readonly timing: BatchTiming, private readonly answer: (request: ValidRequest) => unknown) {}

  clear(): void { this.batches.clear(); }

  create(body: unknown, baseUrl: string): BatchReply {
    const requests = (body as { requests?: unknown } | null)?.requests;
    if (!Array.isArray(requests) || requests.length === 0) return invalid('requests: at least one request is required.');
    const seen = new Set<string>();
    const items: BatchItem[] = [];
    for (const [index, entry] of requests.entries()) {
      const { custom_id: customId, params } = (entry ?? {}) as { custom_id?: unknown; params?: unknown };
      if (typeof customId !== 'string' || !CUSTOM_ID_PATTERN.test(customId)) return invalid(`requests.${index}.custom_id: String should match pattern '^[a-zA-Z0-9_-]{1,64}$'.`);
      if (seen.has(customId)) return invalid(`requests.${index}.custom_id: custom_id '${customId}' is used more than once; each must be unique.`);
      seen.add(customId);
      if (!params || typeof params !== 'object') return invalid(`requests.${index}.params: Field required.`);
      items.push({ customId, planned: this.plan(customId, params as Record<string, unknown>) });
    }
    const slow = items.some((item) => /^scripted-slow/.test(item.customId) || requests.some((r) => JSON.stringify(r).includes('[[batch:slow]]')));
    const batch: Batch = { id: newId('msgbatch_01'), createdMs: Date.now(), items, polls: 0, slow, cancelInitiatedAt: null, endedAt: null };
    this.batches.set(batch.id, batch);
    return { status: 200, body: this.view(batch, baseUrl) };
  }

  private plan(customId: string, params: Record<string, unknown>): BatchItem['planned'] {
    if (params.stream === true) return { type: 'errored', errorType: 'invalid_request_error', message: 'stream: Streaming is not supported in message batches.' };
    const checked = validateMessagesRequest(params);
    if (!checked.ok) return { type: 'errored', errorType: 'invalid_request_error', message: checked.message };
    const prompt = lastPromptText(checked.request);
    if (/^scripted-expire/.test(customId) || prompt.includes('[[batch:expire]]')) return { type: 'expired' };
    if (/^scripted-error/.test(customId) || prompt.includes('[[batch:error]]')) return { type: 'errored', errorType: 'api_error', message: 'Internal server error (stand-in scripted batch failure).' };
    return { type: 'succeeded', message: this.answer(checked.request) };
  }

  /**
   * GET /v1/batches?batch_id=: each read advances the batch; while it runs the answer is the status
   * object, once it has ended the same read answers the results as JSON lines (as the docs say).
   */
  read(id: string, baseUrl: string): BatchReply {
    const batch = this.batches.get(id);
    if (!batch) return notFound(id);
    this.advance(batch);
    if (!batch.endedAt) return { status: 200, body: this.view(batch, baseUrl) };
    const lines = batch.items.map((item) => JSON.stringify({ custom_id: item.customId, result: resultOf(item) }));
    return { status: 200, body: lines.join('\n') + '\n', contentType: 'application/x-jsonl' };
  }

  cancel(id: string, baseUrl: string): BatchReply {
    const batch = this.batches.get(id);
    if (!batch) return notFound(id);
    // The docs' own example: cancelling a batch that has finished is a 400.
    if (batch.endedAt) return invalid(`Batch ${id} cannot be canceled because it has already finished processing.`);
    if (!batch.cancelInitiatedAt) batch.cancelInitiatedAt = new Date().toISOString();
    return { status: 200, body: this.view(batch, baseUrl) };
  }

  private advance(batch: Batch): void {
    if (batch.endedAt) return;
    const pending = batch.items.filter((item) => !item.outcome);
    if (batch.cancelInitiatedAt) {
      // A poll after the cancel sees it finished: what had not run is canceled.
      for (const item of pending) item.outcome = 'canceled';
    } else {
      batch.polls += 1;
      const perPoll = this.timing.pollsPerRequest ?? 1;
      const finished = batch.slow ? 0 : this.timing.stepMs
        ? Math.floor((Date.now() - batch.createdMs) / this.timing.stepMs)
        : Math.floor(batch.polls / perPoll);
      const alreadyDone = batch.items.length - pending.length;
      for (const item of pending.slice(0, Math.max(0, finished - alreadyDone))) item.outcome = item.planned.type;
    }
    if (batch.items.every((item) => item.outcome)) batch.endedAt = new Date().toISOString();
  }

  private view(batch: Batch, baseUrl: string) {
    const count = (outcome: Outcome) => batch.items.filter((item) => item.outcome === outcome).length;
    const status = batch.endedAt ? 'ended' : batch.cancelInitiatedAt ? 'canceling' : 'in_progress';
    return {
      id: batch.id,
      type: 'message_batch',
      processing_status: status,
      request_counts: {
        processing: batch.items.filter((item) => !item.outcome).length,
        succeeded: count('succeeded'), errored: count('errored'), canceled: count('canceled'), expired: count('expired'),
      },
      created_at: new Date(batch.createdMs).toISOString(),
      expires_at: new Date(batch.createdMs + DAY_MS).toISOString(),
      ended_at: batch.endedAt,
      cancel_initiated_at: batch.cancelInitiatedAt,
      archived_at: null,
      results_url: batch.endedAt ? `${baseUrl}/v1/batches?batch_id=${batch.id}` : null,
    };
  }
}

function resultOf(item: BatchItem): unknown {
  if (item.outcome === 'canceled') return { type: 'canceled' };
  const planned = item.planned;
  switch (planned.type) {
    case 'succeeded': return { type: 'succeeded', message: planned.message };
    case 'expired': return { type: 'expired' };
    case 'errored': return { type: 'errored', error: { type: 'error', error: { type: planned.errorType, message: planned.message } } };
  }
}

function invalid(message: string): BatchReply { return { status: 400, errorType: 'invalid_request_error', message }; }
function notFound(id: string): BatchReply { return { status: 404, errorType: 'not_found_error', message: `Batch '${id}' not found.` }; }
