import { messageOf } from './format';

// What the HTTP channels (Telegram, webhooks) share: one POST with Node's fetch, ended by the
// caller's signal, and the ways it can fail put into words. Errors are values here.

export type PostResult =
  | { ok: true; status: number; body: string; retryAfter?: number }
  | { ok: false; reason: 'aborted' | 'network'; detail: string };

/** The longest response body kept: enough for an error description, bounded against a flood. */
const MAX_BODY = 64 * 1024;

export async function postJson(
  url: string,
  payload: string,
  headers: Record<string, string>,
  signal: AbortSignal,
): Promise<PostResult> {
  if (signal.aborted) return { ok: false, reason: 'aborted', detail: abortWords(signal) };
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: payload,
      signal,
      // A webhook that redirects elsewhere is misconfigured; following it could leak the body.
      redirect: 'manual',
    });
    const body = await readBounded(res);
    const retryAfter = parseRetryAfter(res.headers.get('retry-after'));
    return retryAfter === undefined
      ? { ok: true, status: res.status, body }
      : { ok: true, status: res.status, body, retryAfter };
  } catch (e) {
    if (signal.aborted) return { ok: false, reason: 'aborted', detail: abortWords(signal) };
    return { ok: false, reason: 'network', detail: networkWords(e) };
  }
}

async function readBounded(res: Response): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
    if (size >= MAX_BODY) {
      await reader.cancel().catch(() => undefined);
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, MAX_BODY).toString('utf8');
}

/** Retry-After in seconds (HTTP allows a date too; only the seconds form is worth honouring). */
function parseRetryAfter(value: string | null): number | undefined {
  if (!value || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value.trim());
}

/** fetch hides the real cause ("fetch failed"); the cause (ECONNREFUSED …) is what helps. */
export function networkWords(e: unknown): string {
  const cause = (e as { cause?: unknown }).cause;
  if (cause) {
    const code = (cause as { code?: unknown }).code;
    const msg = messageOf(cause);
    return typeof code === 'string' && !msg.includes(code) ? `${code}: ${msg}` : msg;
  }
  return messageOf(e);
}

/** Why the send was stopped: the caller's deadline, or a cancellation. */
export function abortWords(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  if (reason instanceof Error && reason.name === 'TimeoutError') return 'timed out';
  return reason instanceof Error && reason.name !== 'AbortError'
    ? `stopped: ${reason.message}`
    : 'stopped before an answer';
}
