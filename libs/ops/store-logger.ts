/** Where adapters log failure details (fits console and the app's JSON logger); callers only see UnavailableError. */
export interface StoreLogger {
  error(message: string, fields?: Record<string, unknown>): void;
}

export const consoleStoreLogger: StoreLogger = {
  error: (message, fields) => console.error(message, fields ?? ''),
};

/** A driver or disk error as log fields: Error properties are not enumerable, so spread them by hand. */
export function errorFields(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { error: String(err) };
  const code = (err as { code?: unknown }).code;
  return { error: `${err.name}: ${err.message}`, ...(code !== undefined ? { code } : {}) };
}
