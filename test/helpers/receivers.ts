import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { connect as netConnect } from 'node:net';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import type { KeyPair } from './certs';
import { startDaemon, type Daemon } from './daemons';

// Loopback stand-ins for the outside world the alert channels talk to: Telegram's Bot API,
// webhook receivers, and a real SMTP server (Postfix's smtp-sink) that keeps what it receives.

export interface HttpReceiver {
  /** http://127.0.0.1:<port> */
  base: string;
  requests: RecordedRequest[];
  close: () => Promise<void>;
}

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  /** The raw body as received (what a signature covers). */
  raw: Buffer;
}

type Handler = (req: RecordedRequest, res: ServerResponse) => void;

/** An HTTP server on loopback recording every request and answering with `handler`. */
export async function httpReceiver(handler: Handler, port = 0): Promise<HttpReceiver> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rec = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, raw: Buffer.concat(chunks) };
      requests.push(rec);
      handler(rec, res);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const bound = (server.address() as AddressInfo).port;
  return {
    base: `http://127.0.0.1:${bound}`,
    requests,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const json = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

/**
 * Telegram's Bot API sendMessage, answering as documented (https://core.telegram.org/bots/api):
 * the bot token `good` with chat `known` succeeds; another token is 401; another chat is 400
 * "chat not found"; chat `flood` is 429 with parameters.retry_after; chat `broken` is 502;
 * chat `silent` never gets an answer.
 */
export function telegramApi(opts: { token: string; chat: string; port?: number }): Promise<HttpReceiver> {
  let messageId = 100;
  return httpReceiver((req, res) => {
    const m = /^\/bot([^/]+)\/sendMessage$/.exec(req.url);
    if (req.method !== 'POST' || !m) return json(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    if (m[1] !== opts.token) return json(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
    let body: { chat_id?: unknown; text?: unknown };
    try {
      body = JSON.parse(req.raw.toString('utf8')) as typeof body;
    } catch {
      return json(res, 400, { ok: false, error_code: 400, description: "Bad Request: can't parse JSON" });
    }
    const chat = String(body.chat_id);
    if (chat === 'silent') return; // never answered
    if (chat === 'flood')
      return json(res, 429, {
        ok: false,
        error_code: 429,
        description: 'Too Many Requests: retry after 17',
        parameters: { retry_after: 17 },
      });
    if (chat === 'broken') return json(res, 502, { ok: false, error_code: 502, description: 'Bad Gateway' });
    if (chat !== opts.chat)
      return json(res, 400, { ok: false, error_code: 400, description: 'Bad Request: chat not found' });
    json(res, 200, {
      ok: true,
      result: {
        message_id: messageId++,
        from: { id: 1, is_bot: true, first_name: 'Portwatch', username: 'portwatch_bot' },
        chat: { id: Number(chat) || 0, type: 'private' },
        date: Math.floor(Date.now() / 1000),
        text: body.text,
      },
    });
  }, opts.port);
}

/** A dumping smtp-sink: every mail transaction lands as one file in `<dir>/mail/`. */
export interface MailSink extends Daemon {
  /** The raw dumps received so far (smtp-sink's format: envelope lines, then the message). */
  messages: () => string[];
}

/** smtp-sink (Debian: postfix) dumping each transaction to a file (-d); `flags` as smtp-sink's. */
export async function startMailSink(...flags: string[]): Promise<MailSink> {
  let mailDir = '';
  const daemon = await startDaemon('/usr/sbin/smtp-sink', (port, dir) => {
    mailDir = join(dir, 'mail');
    // smtp-sink runs as root here (-u root) so it can write into the throwaway folder.
    return ['-u', 'root', '-d', `${mailDir}/%M.`, ...flags, `127.0.0.1:${port}`, '10'];
  });
  return {
    ...daemon,
    messages: () => {
      try {
        return readdirSync(mailDir)
          .sort()
          .map((f) => readFileSync(join(mailDir, f), 'utf8'));
      } catch {
        return [];
      }
    },
  };
}

/**
 * Implicit TLS in front of a plaintext server (smtp-sink has no TLS): each TLS connection is
 * terminated with `pair` and piped to 127.0.0.1:`target`, as a TLS-offloading relay would.
 */
export async function tlsFront(pair: KeyPair, target: number): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createTlsServer({ key: pair.key, cert: pair.cert }, (tls) => {
    const back = netConnect({ host: '127.0.0.1', port: target });
    for (const s of [tls, back]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => (tls.destroy(), back.destroy()));
    }
    tls.pipe(back).pipe(tls);
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Undoes quoted-printable (soft line breaks and =XX escapes) so a test can search a mail's text. */
export function decodeQuotedPrintable(text: string): string {
  const unfolded = text.replace(/=\r?\n/g, '');
  return Buffer.from(
    unfolded.replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
    'latin1',
  ).toString('utf8');
}
