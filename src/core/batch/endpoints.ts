// Every batch path lives here, as the gateway documents them (docs/API-NOTES.md, "Batches"):
// create at POST /v1/batches, status AND results at GET /v1/batches?batch_id={id} (the answer
// switches from the status object to JSON lines once the batch has ended), cancel at
// POST /v1/batches/cancel/{id}. Anthropic's /v1/messages/batches/{id}[/results] paths are not part
// of the gateway's API, so there is no second path and no setting to choose one.

export const batchEndpoints = {
  create: '/v1/batches',
  /** The one read: the status object while the batch runs, its JSON-lines results once it ended. */
  read: (batchId: string): string => `/v1/batches?batch_id=${encodeURIComponent(batchId)}`,
  // encodeURIComponent keeps an odd id from adding path segments or a query.
  cancel: (batchId: string): string => `/v1/batches/cancel/${encodeURIComponent(batchId)}`,
} as const;
