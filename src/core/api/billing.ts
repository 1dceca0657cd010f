// The account balance (GET /v2/billing, Bearer; docs/API-NOTES.md "Balance"): `{current_balance,
// currency: "USD"}`. Also the words and link for a 403 that means the account is out of credits.
import * as z from '../../shared/zod';
import { makeError, TOP_UP_URL } from './errors';

export { TOP_UP_URL };

export const BILLING_PATH = '/v2/billing';

// zod 4 numbers are finite: Infinity and NaN fail.
const BillingBody = z.looseObject({
  current_balance: z.number(),
  currency: z.optional(z.string().check(z.maxLength(10))),
});

export interface Balance { usd: number; currency: string }

export interface BillingRequester {
  requestJson<T = unknown>(method: 'GET', path: string, body?: unknown, options?: { signal?: AbortSignal }): Promise<T>;
}

export async function fetchBalance(client: BillingRequester, signal?: AbortSignal): Promise<Balance> {
  const body = await client.requestJson('GET', BILLING_PATH, undefined, { signal });
  const parsed = BillingBody.safeParse(body);
  if (!parsed.success) throw makeError('malformed_response', { detail: 'the balance answer has no current_balance number' });
  return { usd: parsed.data.current_balance, currency: parsed.data.currency ?? 'USD' };
}

/** `$12.34`; below a cent shows `<$0.01`, a debt shows `-$1.20`. */
export function formatBalance(balance: Balance): string {
  const sign = balance.usd < 0 ? '-' : '';
  const amount = Math.abs(balance.usd);
  const symbol = balance.currency === 'USD' ? '$' : `${balance.currency} `;
  if (amount > 0 && amount < 0.01) return `<${symbol}0.01`;
  return `${sign}${symbol}${amount.toFixed(2)}`;
}

/** Whether an error is the gateway's "out of credits" refusal (see errorFromResponse). */
export function isOutOfCredits(error: unknown): boolean {
  const info = (error as { info?: { kind?: string; message?: string } } | undefined)?.info;
  return info?.kind === 'permission' && (info.message ?? '').includes(TOP_UP_URL);
}
