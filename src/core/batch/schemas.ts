// zod schemas of what the batch endpoints return (Anthropic's Message Batches shapes, which the
// gateway mirrors). Extra fields are kept (passthrough) and optional ones may be absent or null:
// a gateway that adds or drops a field must not break polling.
import * as z from '../../shared/zod';
import { ContentBlock, Usage } from '../../shared/model';

export const processingStatuses = ['in_progress', 'canceling', 'ended'] as const;

const count = z._default(z.catch(z.int().check(z.nonnegative()), 0), 0);

export const RequestCounts = z.looseObject({
  processing: count,
  succeeded: count,
  errored: count,
  canceled: count,
  expired: count,
});
export type RequestCounts = z.infer<typeof RequestCounts>;

export const emptyCounts = (): RequestCounts => ({ processing: 0, succeeded: 0, errored: 0, canceled: 0, expired: 0 });

const timestamp = z.nullish(z.union([z.string(), z.number()]));

export const BatchObject = z.looseObject({
  id: z.string().check(z.minLength(1)),
  type: z.optional(z.string()),
  // An unknown status is kept as a string so a new state does not stop polling; see isEnded().
  processing_status: z.union([z.enum(processingStatuses), z.string()]),
  request_counts: z.pipe(z.nullish(RequestCounts), z.transform((c) => c ?? emptyCounts())),
  results_url: z.nullish(z.string()),
  created_at: timestamp,
  expires_at: timestamp,
  ended_at: timestamp,
  cancel_initiated_at: timestamp,
  archived_at: timestamp,
});
export type BatchObject = z.infer<typeof BatchObject>;

export function isEnded(batch: Pick<BatchObject, 'processing_status'>): boolean {
  return batch.processing_status === 'ended';
}

export const ApiErrorBody = z.looseObject({
  type: z.optional(z.string()),
  message: z.optional(z.string()),
});

export const ResultMessage = z.looseObject({
  id: z.optional(z.string()),
  model: z.optional(z.string()),
  content: z._default(z.array(ContentBlock), []),
  stop_reason: z.nullish(z.string()),
  usage: z.optional(Usage),
});
export type ResultMessage = z.infer<typeof ResultMessage>;

export const BatchResult = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('succeeded'), message: ResultMessage }),
  // Anthropic nests the error body: {type:'errored', error:{type:'error', error:{type, message}}}.
  // Some gateways flatten it; both are accepted and read by errorText().
  z.looseObject({ type: z.literal('errored'), error: z.optional(z.unknown()) }),
  z.looseObject({ type: z.literal('canceled') }),
  z.looseObject({ type: z.literal('expired') }),
]);
export type BatchResult = z.infer<typeof BatchResult>;

export const BatchResultLine = z.looseObject({
  custom_id: z.string(),
  result: BatchResult,
});
export type BatchResultLine = z.infer<typeof BatchResultLine>;

/** A readable reason from whatever shape the `error` of an errored result has. */
export function errorText(error: unknown): string {
  if (error === undefined || error === null) return 'no reason given';
  if (typeof error === 'string') return error;
  const outer = ApiErrorBody.safeParse(error);
  if (outer.success) {
    const nested = (error as { error?: unknown }).error;
    if (nested && typeof nested === 'object') return errorText(nested);
    if (outer.data.message) return outer.data.type && outer.data.type !== 'error' ? `${outer.data.type}: ${outer.data.message}` : outer.data.message;
    if (outer.data.type) return outer.data.type;
  }
  return JSON.stringify(error).slice(0, 300);
}
