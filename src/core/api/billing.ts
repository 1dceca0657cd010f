// The account balance (GET /v2/billing, Bearer; docs/API-NOTES.md "Balance"): `{current_balance,
// currency: "USD"}`. Also the words and link for a 403 that means the account is out of credits.
import * as z from 'zod';
import { makeError } from './errors';

/** The Billing page the gateway's own 403 message points at (its docs, "Errors with status code 4xx"). */
export const TOP_UP_URL = 'https://aimlapi.com/app/billing/';
export const BILLING_PATH = '/v2/billing';

const BillingBody = z.object({
  current_balance: z.number().finite(),
  currency: z.string().max(10).optional(),
}).passthrough();

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

/** Whether an error says the account has no credits left (a 402/403 whose text talks of credits or balance). */
export function isOutOfCredits(error: unknown): boolean {
  const info = (error as { info?: { kind?: string; status?: number; message?: string } } | undefined)?.info;
  if (!info || info.kind !== 'permission') return false;
  if (info.status === 402) return true;
  return /credit|balance|top.?up|billing|payment/i.test(info.message ?? '');
}

export const OUT_OF_CREDITS_MESSAGE = 'Your AI/ML API account is out of credits. Top up your balance on the AI/ML API billing page, then retry.';
