// The stand-in as integration suites reach it from inside the extension host: its URL and the
// requests it recorded (control endpoints over loopback).
import * as vscode from 'vscode';

export interface RecordedRequest { method: string; path: string; headers: Record<string, string>; authMatched?: boolean; body: unknown }

/** The stand-in's URL: from the harness's env variable, else the base URL the extension uses. */
export function standInUrl(): string {
  const fromEnv = process.env.AIML_STANDIN_URL;
  if (fromEnv) return fromEnv.replace(/\/+$/, '');
  const inspected = vscode.workspace.getConfiguration('aimlChat').inspect<string>('baseUrl');
  return String(inspected?.globalValue ?? inspected?.defaultValue).replace(/\/+$/, '');
}

export async function standInRequests(): Promise<RecordedRequest[]> {
  const response = await fetch(`${standInUrl()}/__standin/requests`);
  const body = (await response.json()) as RecordedRequest[] | { requests: RecordedRequest[] };
  return Array.isArray(body) ? body : body.requests;
}

/** The /v1/messages requests recorded after the first `since` requests. */
export async function messagesRequestsSince(since: number): Promise<RecordedRequest[]> {
  return (await standInRequests()).slice(since).filter((r) => r.path.endsWith('/messages'));
}
