// The answer of every call a front end makes. Plain data, so it crosses IPC, HTTP and the
// context bridge unchanged.

/** Errors travel as values, with a message a person can act on. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: string };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(error: string): Result<T> => ({ ok: false, error });

export const errorMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e));
