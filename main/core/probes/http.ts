import { Agent, request, type Dispatcher } from 'undici';
import type { Socket } from 'node:net';
import type { CertificateFacts, HttpFacts } from '../../../shared/probe';
import { DEFAULT_STATUS_RULE, parseStatusRule, statusMatches, type StatusRule } from '../../../shared/http-status';
import { PhaseTimer } from './clock';
import { openConnection, type AttemptLog } from './connect';
import { ProbeFailure, abortFailure, errorCode, errorMessage, socketFailure } from './failure';
import { secureChannel } from './handshake';
import { printable } from './protocols/conversation';
import { failure, success } from './result';
import type { HttpOptions, ProbeContext, ProbeFn, ProbeTarget } from './types';

export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;
const DEFAULT_MAX_REDIRECTS = 5;
const defaultRule = parseStatusRule(DEFAULT_STATUS_RULE);

const unbracket = (host: string): string => host.replace(/^\[(.*)\]$/, '$1');

/** The target a URL points at, for reporting and for the connection. */
export function urlTarget(url: URL): ProbeTarget {
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  return { host: unbracket(url.hostname), port };
}

/** Drops a response body without reading it; undici reports the drop as an error event. */
function discard(body: Dispatcher.ResponseData['body']): void {
  body.on('error', () => undefined);
  body.destroy();
}

function httpFailure(err: unknown, phase: 'response' | 'body'): ProbeFailure {
  if (err instanceof ProbeFailure) return err;
  const code = errorCode(err) ?? '';
  if (code.startsWith('HPE_') || (err instanceof Error && err.name === 'HTTPParserError')) {
    const data = (err as { data?: unknown }).data;
    const got = typeof data === 'string' && data !== '' ? `; it sent "${printable(data, 60)}"` : '';
    return new ProbeFailure('protocol', phase, `the server did not answer with valid HTTP${got}`);
  }
  if (code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH')
    return new ProbeFailure('protocol', phase, 'the body is shorter or longer than its Content-Length');
  if (code === 'UND_ERR_SOCKET') {
    const cause = (err as { cause?: unknown }).cause;
    const inner = cause ? socketFailure(cause, phase) : undefined;
    if (inner && inner.outcome !== 'error') return inner;
    return new ProbeFailure('reset', phase, 'the server closed the connection without a complete response');
  }
  const f = socketFailure(err, phase);
  return f.outcome === 'error' ? new ProbeFailure('error', phase, errorMessage(err)) : f;
}

/** Reads at most `limit` bytes of the body, then stops the download. */
async function readBounded(
  body: Dispatcher.ResponseData['body'],
  limit: number,
): Promise<{ text: string; bytes: number; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  let truncated = false;
  for await (const chunk of body) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    const room = limit - bytes;
    chunks.push(buf.subarray(0, room));
    bytes += Math.min(buf.length, room);
    if (buf.length >= room) {
      truncated = buf.length > room;
      break;
    }
  }
  discard(body);
  return { text: Buffer.concat(chunks).toString('utf8'), bytes, truncated };
}

function judgeBody(options: HttpOptions, text: string, bytes: number, truncated: boolean): ProbeFailure | undefined {
  const within = truncated ? ` in the first ${bytes} bytes` : '';
  if (options.body?.contains !== undefined && !text.includes(options.body.contains))
    return new ProbeFailure('protocol', 'body', `the body does not contain "${options.body.contains}"${within}`);
  if (options.body?.regex !== undefined && !new RegExp(options.body.regex).test(text))
    return new ProbeFailure('protocol', 'body', `the body does not match /${options.body.regex}/${within}`);
  return undefined;
}

/** One HTTP(S) request, redirects followed or not, judged by status and body rules. */
export const httpProbe: ProbeFn<'http'> = async (target, options, ctx: ProbeContext) => {
  const timer = new PhaseTimer();
  const log: AttemptLog = {};
  let tls: CertificateFacts | undefined;
  let http: HttpFacts | undefined;
  let connectFailure: ProbeFailure | undefined;
  const rule: StatusRule | undefined = options.expectStatus ?? (defaultRule.ok ? defaultRule.value : undefined);
  const agent = new Agent({
    // Our own connector, so resolve/connect/TLS are timed and judged like the tcp and tls probes.
    connect: (opts, callback) => {
      const host = unbracket(opts.hostname);
      const https = opts.protocol === 'https:';
      const port = Number(opts.port) || (https ? 443 : 80);
      openConnection({ host, port }, options, timer, ctx.signal, ctx.timeoutMs, log)
        .then(async ({ socket }): Promise<Socket> => {
          if (!https) return socket;
          const channel = await secureChannel(socket, host, options, timer, ctx.signal, ['http/1.1']);
          tls = channel.tls;
          return channel.secure;
        })
        .then(
          (socket) => {
            timer.begin('response');
            callback(null, socket);
          },
          (e: unknown) => {
            connectFailure = socketFailure(e, timer.phase);
            callback(connectFailure, null);
          },
        );
    },
  });
  const extras = (): { tls?: CertificateFacts; http?: HttpFacts } => ({
    ...(tls ? { tls } : {}),
    ...(http ? { http } : {}),
  });
  try {
    let url = new URL(options.url);
    const redirects: string[] = [];
    const max = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
    for (;;) {
      timer.begin('response');
      const res = await request(url, {
        dispatcher: agent,
        method: (options.method ?? 'GET') as Dispatcher.HttpMethod,
        headers: { 'user-agent': 'Portwatch', ...options.headers },
        signal: ctx.signal,
      });
      timer.begin('body');
      http = {
        status: res.statusCode,
        statusText: '',
        url: url.href,
        redirects: [...redirects],
        bodyBytesRead: 0,
        bodyTruncated: false,
      };
      const location = res.headers.location;
      if (
        options.followRedirects !== false &&
        res.statusCode >= 300 &&
        res.statusCode < 400 &&
        typeof location === 'string'
      ) {
        discard(res.body);
        redirects.push(url.href);
        if (redirects.length > max) throw new ProbeFailure('protocol', 'response', `more than ${max} redirects`);
        url = new URL(location, url);
        continue;
      }
      if (rule && !statusMatches(rule, res.statusCode)) {
        discard(res.body);
        throw new ProbeFailure('protocol', 'response', `HTTP status ${res.statusCode}, expected ${rule.text}`);
      }
      if (!options.body) {
        discard(res.body);
        return success(target, ctx, timer, log, { ...extras(), detail: `HTTP ${res.statusCode}` });
      }
      const read = await readBounded(res.body, options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
      http.bodyBytesRead = read.bytes;
      http.bodyTruncated = read.truncated;
      const bad = judgeBody(options, read.text, read.bytes, read.truncated);
      if (bad) throw bad;
      return success(target, ctx, timer, log, { ...extras(), detail: `HTTP ${res.statusCode}, body rules passed` });
    }
  } catch (e) {
    const phase = timer.phase === 'body' ? 'body' : 'response';
    const f =
      e instanceof ProbeFailure
        ? e
        : ctx.signal.aborted
          ? abortFailure(ctx.signal, timer.phase)
          : (connectFailure ?? httpFailure(e, phase));
    return failure(target, ctx, timer, log, f, extras());
  } finally {
    agent.destroy().catch(() => undefined);
  }
};
