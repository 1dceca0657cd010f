// One place that turns the settings and the key into a messages client, for every front end.
import type * as vscode from 'vscode';
import { MessagesClient } from '../core/api/client';
import type { ChatSettings } from './config';

export function messagesClientFor(settings: ChatSettings, apiKey: string | (() => Promise<string | undefined>), log: vscode.LogOutputChannel): MessagesClient {
  return new MessagesClient({
    baseUrl: settings.baseUrl,
    apiKey,
    headersTimeoutMs: settings.requestTimeoutMs,
    idleTimeoutMs: settings.requestTimeoutMs,
    logger: { debug: (m) => log.debug(m), warn: (m) => log.warn(m) },
  });
}
