// The client logs through this small interface so the host can route lines to an output channel
// and tests can capture them. Every line passes through `redactSecrets` before it gets here.

export interface ApiLogger {
  debug(message: string): void;
  warn(message: string): void;
}

export const noopLogger: ApiLogger = { debug: () => undefined, warn: () => undefined };
