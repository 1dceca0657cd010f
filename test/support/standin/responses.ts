// Response helpers: the two error shapes the gateway uses (its own for auth and account problems,
// Anthropic's for everything else) and JSON bodies with the request-id headers.
import type { ServerResponse } from 'node:http';

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

/** Anthropic's shape: `{type: "error", error: {type, message}}`, with `request_id` as the service adds. */
export function sendApiError(res: ServerResponse, status: number, type: string, message: string, requestId: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, { type: 'error', error: { type, message }, request_id: requestId }, headers);
}

/** The gateway's own shape, used for a missing or wrong key and for account problems (credits). */
export function sendGatewayError(res: ServerResponse, status: number, message: string, path: string, requestId: string): void {
  sendJson(res, status, { message, path, requestId, statusCode: status, timestamp: new Date().toISOString() });
}
