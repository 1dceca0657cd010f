// The one place a messages client is built. Chat, refactor, batch and any later front end take a
// factory made once at activation, so timeouts, retries and the (redacting) logger are decided
// here and nowhere else.
import { MessagesClient, type MessagesClientOptions } from './client';
import type { ApiLogger } from './logger';

/** The settings a connection is made with (a subset of the extension's settings). */
export interface ConnectionSettings {
  baseUrl: string;
  requestTimeoutMs: number;
}

export type MessagesClientFactory = (settings: ConnectionSettings, apiKey: MessagesClientOptions['apiKey']) => MessagesClient;

/** `extra` is for tests (no retries, a fake fetch); the extension passes only its logger. */
export function messagesClientFactory(logger: ApiLogger, extra: Pick<MessagesClientOptions, 'maxRetries' | 'fetch' | 'sleep'> = {}): MessagesClientFactory {
  return (settings, apiKey) => new MessagesClient({
    ...extra,
    baseUrl: settings.baseUrl,
    apiKey,
    headersTimeoutMs: settings.requestTimeoutMs,
    idleTimeoutMs: settings.requestTimeoutMs,
    logger,
  });
}
