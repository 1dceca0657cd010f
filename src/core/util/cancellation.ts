// A VS Code CancellationToken (structurally: onCancellationRequested) mapped to an AbortSignal,
// for the refactor command and any front end that is handed a token (the Chat participant).
export interface CancellationLike {
  readonly isCancellationRequested: boolean;
  onCancellationRequested(listener: () => unknown): { dispose(): void };
}

/**
 * Runs `run` with a signal that aborts when `token` is cancelled. The listener is removed when
 * the work ends: tokens can outlive it, and each forgotten listener keeps the work's objects alive.
 */
export async function withCancellation<T>(token: CancellationLike, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  const listener = token.onCancellationRequested(() => controller.abort());
  try {
    return await run(controller.signal);
  } finally {
    listener.dispose();
  }
}
