// The gateway's request tracing and cost headers (docs/API-NOTES.md, "Request tracing"): every
// request sends X-Client-Request-Id (1–128 characters of A-Z a-z 0-9 . _ : -; anything else is
// silently dropped by the gateway, so it is checked here), every response carries x-inference-id,
// and non-streaming JSON responses carry x-aimlapi-usd-spent (streams put it in meta.usage).

export const CLIENT_REQUEST_ID_HEADER = 'x-client-request-id';
const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function isValidClientRequestId(value: string): boolean {
  return CLIENT_REQUEST_ID.test(value);
}

/** `aimlchat-` and a random UUID: 45 characters, all in the documented alphabet. */
export function newClientRequestId(random: () => string = () => globalThis.crypto.randomUUID()): string {
  const id = `aimlchat-${random()}`.replace(/[^A-Za-z0-9._:-]/g, '').slice(0, 128);
  return isValidClientRequestId(id) ? id : 'aimlchat';
}

/** What a response says about itself, for the answer's details, the log and the spend. */
export interface ResponseTracing {
  /** The gateway's id of this call (for support, usage logs and the billing ledger). */
  inferenceId?: string;
  /** Our X-Client-Request-Id, as the gateway echoed it. */
  clientRequestId?: string;
  /** x-aimlapi-usd-spent: the cost of a non-streaming call, in USD. */
  usdSpent?: number;
}

const MAX_ID_CHARS = 200;

export function tracingFrom(headers: Pick<Headers, 'get'> | undefined): ResponseTracing {
  const tracing: ResponseTracing = {};
  const inference = headers?.get('x-inference-id')?.trim();
  if (inference) tracing.inferenceId = inference.slice(0, MAX_ID_CHARS);
  const client = headers?.get(CLIENT_REQUEST_ID_HEADER)?.trim();
  if (client) tracing.clientRequestId = client.slice(0, MAX_ID_CHARS);
  const usd = Number(headers?.get('x-aimlapi-usd-spent') ?? Number.NaN);
  if (Number.isFinite(usd) && usd >= 0) tracing.usdSpent = usd;
  return tracing;
}
