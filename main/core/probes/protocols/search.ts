import { ProbeFailure } from '../failure';
import { MAX_REPLY_BYTES, printable, type Conversation } from './conversation';
import type { DialogueContext, DialogueOutcome, ServiceCheck } from './types';

// Elasticsearch (and OpenSearch) cluster health and Solr system info, each one GET over the
// probe's connection (TLS when the monitor says implicitTls), without credentials. No settings.

interface HttpReply {
  status: number;
  reason: string;
  headers: Map<string, string>;
  body: Buffer;
}

const protocol = (detail: string): ProbeFailure => new ProbeFailure('protocol', 'response', detail);

const tooLong = (): ProbeFailure => protocol(`expected a JSON body, got more than ${MAX_REPLY_BYTES} bytes`);

/** Index of the blank line ending the head, or undefined; fails fast on a reply that is not HTTP. */
function headEnd(b: Buffer): number | undefined {
  if (b.length >= 5 && b.toString('latin1', 0, 5) !== 'HTTP/')
    throw protocol(`expected an HTTP response, got "${printable(b)}"`);
  const i = b.indexOf('\r\n\r\n');
  return i === -1 ? undefined : i + 4;
}

async function chunkedBody(conv: Conversation): Promise<Buffer> {
  const parts: Buffer[] = [];
  let total = 0;
  for (;;) {
    const line = await conv.line('a chunk size');
    const size = Number.parseInt(line.split(';')[0] ?? '', 16);
    if (!Number.isFinite(size) || size < 0) throw protocol(`expected a chunk size, got "${printable(line)}"`);
    if (size === 0) {
      // Trailer fields, if any, up to the blank line.
      while ((await conv.line('the end of the chunked body')) !== '');
      return Buffer.concat(parts);
    }
    total += size;
    if (total > MAX_REPLY_BYTES) throw tooLong();
    parts.push((await conv.bytes(size + 2, 'a chunk')).subarray(0, size));
  }
}

/** Everything until the server closes (a body with neither Content-Length nor chunking). */
async function bodyUntilClose(conv: Conversation): Promise<Buffer> {
  const ended = (): boolean => conv.socket.readableEnded;
  try {
    return await conv.read((b) => (ended() ? b.length : undefined), 'the body, until the server closes');
  } catch (e) {
    if (ended()) return Buffer.alloc(0); // closed cleanly with nothing more to say
    throw e;
  }
}

/** One GET with Connection: close; the reply's head, and a body bounded by MAX_REPLY_BYTES. */
async function get(conv: Conversation, ctx: DialogueContext, path: string): Promise<HttpReply> {
  const host = ctx.host.includes(':') ? `[${ctx.host}]` : ctx.host;
  conv.phase = 'request';
  conv.send(
    `GET ${path} HTTP/1.1\r\nHost: ${host}:${ctx.port}\r\nAccept: application/json\r\n` +
      `User-Agent: Portwatch\r\nConnection: close\r\n\r\n`,
  );
  conv.phase = 'response';
  for (;;) {
    const head = (await conv.read(headEnd, 'an HTTP response')).toString('latin1');
    const [statusLine = '', ...lines] = head.split('\r\n');
    const m = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/.exec(statusLine);
    if (!m) throw protocol(`expected an HTTP status line, got "${printable(statusLine)}"`);
    const status = Number(m[1]);
    const headers = new Map<string, string>();
    for (const l of lines) {
      const i = l.indexOf(':');
      if (i > 0) headers.set(l.slice(0, i).trim().toLowerCase(), l.slice(i + 1).trim());
    }
    if (status >= 100 && status < 200) continue; // 100 Continue and the like: the real reply follows
    conv.phase = 'body';
    let body: Buffer;
    const length = headers.get('content-length');
    if (/chunked/i.test(headers.get('transfer-encoding') ?? '')) body = await chunkedBody(conv);
    else if (length !== undefined) {
      const n = Number(length);
      if (!Number.isInteger(n) || n < 0) throw protocol(`expected a Content-Length, got "${printable(length)}"`);
      if (n > MAX_REPLY_BYTES) throw tooLong();
      body = n === 0 ? Buffer.alloc(0) : await conv.bytes(n, `a body of ${n} bytes`);
    } else body = await bodyUntilClose(conv);
    if (body.length > MAX_REPLY_BYTES) throw tooLong();
    return { status, reason: m[2] ?? '', headers, body };
  }
}

function json(reply: HttpReply, service: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(reply.body.toString('utf8'));
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // shown below
  }
  throw protocol(`expected JSON from ${service}, got HTTP ${reply.status} "${printable(reply.body)}"`);
}

const field = (o: unknown, key: string): unknown =>
  o !== null && typeof o === 'object' && key in o ? (o as Record<string, unknown>)[key] : undefined;

/** A 401 or 403 without credentials: the service answers, it wants a login. */
function authRequired(reply: HttpReply): DialogueOutcome | undefined {
  if (reply.status !== 401 && reply.status !== 403) return undefined;
  const scheme = reply.headers.get('www-authenticate')?.split(/[\s,]/)[0];
  const how = scheme ? `, ${printable(scheme, 20)}` : '';
  return {
    detail: `alive, authentication required (HTTP ${reply.status}${how})`,
    facts: { auth: 'required' },
  };
}

/** Names what a failing reply says: "HTTP 503 Service Unavailable: master_not_discovered_exception". */
function httpError(reply: HttpReply, what: string): ProbeFailure {
  let said = '';
  try {
    const err = field(JSON.parse(reply.body.toString('utf8')), 'error');
    const type = field(err, 'type') ?? field(field(err, 'metadata'), 'error-class') ?? field(err, 'msg');
    if (typeof type === 'string') said = `: ${printable(type, 80)}`;
  } catch {
    if (reply.body.length) said = `: "${printable(reply.body, 60)}"`;
  }
  const reason = reply.reason ? ` ${printable(reply.reason, 40)}` : '';
  return protocol(`${what}: HTTP ${reply.status}${reason}${said}`);
}

// Cluster health, GET /_cluster/health: the response shape is the one documented at
// https://www.elastic.co/guide/en/elasticsearch/reference/current/cluster-health.html
// ({ cluster_name, status: green|yellow|red, number_of_nodes, unassigned_shards, … }), which
// OpenSearch keeps.
export const elasticsearch: ServiceCheck = {
  id: 'elasticsearch',
  name: 'Elasticsearch cluster health',
  talk: async (conv, ctx) => {
    const reply = await get(conv, ctx, '/_cluster/health');
    const auth = authRequired(reply);
    if (auth) return auth;
    if (reply.status !== 200) throw httpError(reply, 'cluster health');
    const health = json(reply, 'Elasticsearch');
    const status = health.status;
    if (status !== 'green' && status !== 'yellow' && status !== 'red')
      throw protocol(`expected a cluster health status, got "${printable(JSON.stringify(health), 80)}"`);
    const facts: Record<string, string> = { cluster: status };
    const name = health.cluster_name;
    if (typeof name === 'string') facts.name = printable(name, 60);
    const nodes = health.number_of_nodes;
    if (typeof nodes === 'number') facts.nodes = String(nodes);
    const unassigned = health.unassigned_shards;
    if (typeof unassigned === 'number') facts.unassignedShards = String(unassigned);
    const who = facts.name !== undefined ? `cluster "${facts.name}"` : 'cluster';
    const size = nodes === undefined ? '' : `, ${String(nodes)} node${nodes === 1 ? '' : 's'}`;
    const shards =
      typeof unassigned === 'number' && unassigned > 0
        ? `, ${unassigned} unassigned shard${unassigned === 1 ? '' : 's'}`
        : '';
    if (status === 'red') throw protocol(`cluster status red: ${who}${size}${shards}`);
    if (status === 'yellow') {
      const degraded = `cluster status yellow${shards ? ` (${shards.slice(2)})` : ''}`;
      return { detail: `${who} yellow, degraded${size}${shards}`, facts, degraded };
    }
    return { detail: `${who} green${size}`, facts };
  },
};

// System info, GET /solr/admin/info/system?wt=json: the shape documented in the Solr Reference
// Guide (System Information API): { responseHeader: { status: 0 }, mode: "std"|"solrcloud",
// lucene: { "solr-spec-version": "9.4.0", … }, jvm, system, … }. Its size does not grow with the
// number of cores, so it stays within the read bound.
export const solr: ServiceCheck = {
  id: 'solr',
  name: 'Solr system info',
  talk: async (conv, ctx) => {
    const path = '/solr/admin/info/system?wt=json';
    const reply = await get(conv, ctx, path);
    const auth = authRequired(reply);
    if (auth) return auth;
    if (reply.status === 404) throw protocol(`no Solr at ${path}: HTTP 404`);
    if (reply.status !== 200) throw httpError(reply, 'Solr system info');
    const info = json(reply, 'Solr');
    const lucene = info.lucene;
    const version = field(lucene, 'solr-spec-version');
    if (field(info.responseHeader, 'status') !== 0 || typeof version !== 'string')
      throw protocol(`expected Solr system info, got "${printable(JSON.stringify(info), 80)}"`);
    const facts: Record<string, string> = { version: printable(version, 40) };
    if (typeof info.mode === 'string') facts.mode = printable(info.mode, 20);
    return { detail: `Solr ${facts.version}${facts.mode ? ` (${facts.mode})` : ''}`, facts };
  },
};
