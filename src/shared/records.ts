// One test for "a JSON object" (not null, not an array) for every layer that reads unvalidated
// input: stored conversations, the batch API's answers, snapshots the webview receives.

/** A plain object that can be read field by field: not null, not an array, not a primitive. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
