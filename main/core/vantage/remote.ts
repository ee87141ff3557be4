// One other instance, asked for its monitors ('monitors.list' over POST /api/call with its token)
// every few seconds, each time within a deadline of its own. What it answers, or why it did not
// in words a person can act on, is kept for the registry; a failed poll never touches the
// monitors it last reported, which is what lets a silent instance be told from a failing target.

import { z } from 'zod';
import { STATUSES } from '../../../shared/status';
import type { SourceState, WatchedTarget } from '../../../shared/vantage';
import { errorMessage, fail, ok, type Result } from '../../../shared/result';
import { watchedOf } from './verdict';

export interface RemoteOptions {
  /** Its base address, e.g. http://10.0.0.5:7788/. */
  url: string;
  /** In clear: opened from the settings only to be sent to `url`. */
  token: string;
  /** Between the end of one poll and the start of the next. Default 5 s. */
  intervalMs?: number;
  /** The whole exchange, body included. Default 4 s. */
  timeoutMs?: number;
  /** Told after every poll, answered or not. */
  onChange?: () => void;
}

const DEFAULT_INTERVAL_MS = 5000;
const DEFAULT_TIMEOUT_MS = 4000;

// Only what the verdicts need; anything else a newer instance sends is ignored, and so is a
// monitor of a kind this version does not know.
const ListedMonitor = z.object({
  monitor: z.object({
    id: z.string(),
    name: z.string(),
    kind: z.enum(['tcp', 'tls', 'http', 'service']),
    host: z.string(),
    port: z.number(),
    url: z.string().optional(),
    check: z.string().optional(),
  }),
  state: z
    .object({
      status: z.enum(STATUSES),
      since: z.number(),
      incident: z.object({ outcome: z.string(), phase: z.string(), diagnosis: z.string() }).optional(),
      last: z.object({ outcome: z.string(), phase: z.string(), diagnosis: z.string() }).optional(),
    })
    .nullish(),
});

const seconds = (ms: number): string => `${Math.round(ms / 100) / 10} s`;

/** The codes of an error and of everything it was caused by (fetch wraps the socket's error). */
function codesOf(e: unknown): string[] {
  const codes: string[] = [];
  for (let cur: unknown = e, depth = 0; cur && depth < 5; depth++) {
    const err = cur as { code?: unknown; errors?: unknown; cause?: unknown };
    if (typeof err.code === 'string') codes.push(err.code);
    if (Array.isArray(err.errors)) for (const inner of err.errors) codes.push(...codesOf(inner));
    cur = err.cause;
  }
  return codes;
}

/** Why the connection failed, in words; `where` is host:port. */
function networkReason(e: unknown, where: string, host: string): string {
  const codes = codesOf(e);
  const has = (...c: string[]): boolean => c.some((x) => codes.includes(x));
  if (has('ECONNREFUSED')) return `connection refused at ${where} (is portwatch serve running there?)`;
  if (has('ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT')) return `no connection to ${where}: the attempt timed out`;
  if (has('EHOSTUNREACH', 'EHOSTDOWN')) return `no route to ${host}`;
  if (has('ENETUNREACH')) return `the network towards ${host} is unreachable from here`;
  if (has('ENOTFOUND', 'EAI_AGAIN')) return `the name ${host} does not resolve`;
  if (has('ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET')) return `the connection to ${where} was cut before it answered`;
  const tls = codes.find((c) => /CERT|SSL|TLS/.test(c));
  if (tls) return `its TLS certificate was not accepted (${tls})`;
  const inner = (e as { cause?: unknown } | null)?.cause;
  return `the request to ${where} failed: ${errorMessage(inner ?? e)}`;
}

export class RemoteClient {
  private current: SourceState;
  private known: WatchedTarget[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private inflight: AbortController | undefined;
  private stopped = false;

  constructor(private readonly o: RemoteOptions) {
    this.current = { status: 'connecting', since: Date.now() };
  }

  get state(): SourceState {
    return this.current;
  }

  /** What it reported when it last answered; while it is unreachable, what it watched before. */
  get monitors(): readonly WatchedTarget[] {
    return this.known;
  }

  start(): void {
    void this.poll();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.inflight?.abort();
  }

  private async poll(): Promise<void> {
    if (this.stopped) return;
    const at = Date.now();
    const answer = await this.ask();
    if (this.stopped) return;
    const was = this.current;
    if (answer.ok) {
      this.known = answer.value;
      const since = was.status === 'ok' ? was.since : at;
      this.current = { status: 'ok', since, checkedAt: at, monitors: answer.value.length };
    } else {
      const since = was.status === 'unreachable' ? was.since : at;
      this.current = { status: 'unreachable', since, checkedAt: at, reason: answer.error };
    }
    this.o.onChange?.();
    this.timer = setTimeout(() => void this.poll(), this.o.intervalMs ?? DEFAULT_INTERVAL_MS);
    // Monitoring keeps the process alive, not the asking of other instances.
    this.timer.unref();
  }

  private async ask(): Promise<Result<WatchedTarget[]>> {
    const timeoutMs = this.o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const base = new URL(this.o.url);
    const where = base.host;
    const ctl = new AbortController();
    this.inflight = ctl;
    let late = false;
    const deadline = setTimeout(() => {
      late = true;
      ctl.abort();
    }, timeoutMs);
    try {
      const res = await fetch(new URL('api/call/monitors.list', base), {
        method: 'POST',
        headers: { authorization: `Bearer ${this.o.token}`, 'content-type': 'application/json' },
        body: '{"args":[]}',
        // A redirect could carry the token to another address.
        redirect: 'manual',
        signal: ctl.signal,
      });
      if (res.status >= 300 && res.status < 400)
        return fail(`it redirects to ${res.headers.get('location') ?? 'another address'}: give that address instead`);
      if (res.status === 401) return fail('the token was refused (401): enter the token its portwatch serve printed');
      if (res.status === 404)
        return fail(`${where} has no /api/call/monitors.list (404): is it a portwatch serve, and a recent one?`);
      if (!res.ok) return fail(`${where} answered HTTP ${res.status}`);
      const body = await res.text();
      let parsed: unknown;
      try {
        parsed = JSON.parse(body);
      } catch {
        return fail(`${where} did not answer as a portwatch serve (the answer is not JSON)`);
      }
      const result = parsed as { ok?: unknown; error?: unknown; value?: unknown };
      if (result.ok === false) return fail(`it refused to list its monitors: ${String(result.error)}`);
      if (result.ok !== true || !Array.isArray(result.value))
        return fail(`${where} answered in a shape this version does not know (is it a portwatch serve?)`);
      return ok(
        result.value.flatMap((v) => {
          const one = ListedMonitor.safeParse(v);
          return one.success ? [watchedOf(one.data)] : [];
        }),
      );
    } catch (e) {
      if (late) return fail(`no answer from ${where} within ${seconds(timeoutMs)}`);
      return fail(networkReason(e, where, base.hostname));
    } finally {
      clearTimeout(deadline);
      this.inflight = undefined;
    }
  }
}
