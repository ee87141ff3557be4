import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makePki, type TestPki } from '../helpers/certs';
import { listen } from '../helpers/net';
import { MARGIN_MS, timedProbe } from '../helpers/probe';
import { httpServer, httpsServer, type Running } from '../helpers/servers';

// Elasticsearch and Solr are not packaged in Debian and cannot be installed on this machine, so
// these tests run against small loopback HTTP servers STANDING IN for them. They answer with JSON
// shaped like the public API documentation:
// - Elasticsearch: GET /_cluster/health, "Cluster health API" in the Elasticsearch reference
//   (https://www.elastic.co/guide/en/elasticsearch/reference/current/cluster-health.html); the
//   401 and 503 bodies are Elasticsearch's error shape { error: { root_cause, type, reason }, status }.
// - Solr: GET /solr/admin/info/system?wt=json, "System Information API" in the Solr Reference Guide.

const target = (port: number): { host: string; port: number } => ({ host: '127.0.0.1', port });

const esHealth = (status: string, unassigned: number): Record<string, unknown> => ({
  cluster_name: 'testcluster',
  status,
  timed_out: false,
  number_of_nodes: 1,
  number_of_data_nodes: 1,
  active_primary_shards: 1,
  active_shards: 1,
  relocating_shards: 0,
  initializing_shards: 0,
  unassigned_shards: unassigned,
  delayed_unassigned_shards: 0,
  number_of_pending_tasks: 0,
  number_of_in_flight_fetch: 0,
  task_max_waiting_in_queue_millis: 0,
  active_shards_percent_as_number: 50.0,
});

const solrSystem = {
  responseHeader: { status: 0, QTime: 3 },
  mode: 'std',
  solr_home: '/var/solr/data',
  core_root: '/var/solr/data',
  lucene: {
    'solr-spec-version': '9.4.0',
    'solr-impl-version': '9.4.0 71e101b 2023-10-06',
    'lucene-spec-version': '9.8.0',
    'lucene-impl-version': '9.8.0 d914b3722bd',
  },
  jvm: { version: 'Eclipse Adoptium 17.0.9 17.0.9+9', name: 'Eclipse Adoptium OpenJDK 64-Bit Server VM' },
  security: {},
  system: { name: 'Linux', arch: 'amd64', availableProcessors: 2 },
};

const sendJson = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
};

let running: { close: () => Promise<void> }[] = [];
const serve = async (handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<Running> => {
  const s = await httpServer(handler);
  running.push(s);
  return s;
};
afterEach(async () => {
  for (const s of running) await s.close();
  running = [];
});

describe('elasticsearch check (against a loopback stand-in for Elasticsearch)', () => {
  let pki: TestPki;
  beforeAll(() => {
    pki = makePki();
  });

  it('green is ok; the request is a plain GET /_cluster/health with Connection: close', async () => {
    let seen: IncomingMessage | undefined;
    const es = await serve((req, res) => {
      seen = req;
      sendJson(res, 200, esHealth('green', 0));
    });
    const { result } = await timedProbe('service', target(es.port), { check: 'elasticsearch' }, 2000);
    expect(result.outcome).toBe('ok');
    expect(result.detail).toBe('Elasticsearch cluster health: cluster "testcluster" green, 1 node');
    expect(result.facts).toEqual({ cluster: 'green', name: 'testcluster', nodes: '1', unassignedShards: '0' });
    expect(seen?.method).toBe('GET');
    expect(seen?.url).toBe('/_cluster/health');
    expect(seen?.headers.host).toBe(`127.0.0.1:${es.port}`);
    expect(seen?.headers.connection).toBe('close');
  });

  it('yellow is ok but degraded, said in the detail and the facts (chunked body)', async () => {
    const es = await serve((_req, res) => {
      const text = JSON.stringify(esHealth('yellow', 1));
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write(text.slice(0, 40));
      setTimeout(() => res.end(text.slice(40)), 20);
    });
    const { result } = await timedProbe('service', target(es.port), { check: 'elasticsearch' }, 2000);
    expect(result.outcome).toBe('ok');
    expect(result.detail).toBe(
      'Elasticsearch cluster health: cluster "testcluster" yellow, degraded, 1 node, 1 unassigned shard',
    );
    expect(result.facts).toMatchObject({ cluster: 'yellow', unassignedShards: '1' });
  });

  it('red is a protocol failure', async () => {
    const es = await serve((_req, res) => sendJson(res, 200, esHealth('red', 5)));
    const { result } = await timedProbe('service', target(es.port), { check: 'elasticsearch' }, 2000);
    expect(result.outcome).toBe('protocol');
    expect(result.phase).toBe('response');
    expect(result.detail).toBe('cluster status red: cluster "testcluster", 1 node, 5 unassigned shards');
  });

  it('401 (security on, no credentials) is alive, authentication required', async () => {
    const es = await serve((_req, res) =>
      sendJson(
        res,
        401,
        {
          error: {
            root_cause: [{ type: 'security_exception', reason: 'missing authentication credentials for REST request' }],
            type: 'security_exception',
            reason: 'missing authentication credentials for REST request [/_cluster/health]',
            header: { 'WWW-Authenticate': ['Basic realm="security" charset="UTF-8"', 'ApiKey'] },
          },
          status: 401,
        },
        { 'WWW-Authenticate': 'Basic realm="security" charset="UTF-8"' },
      ),
    );
    const { result } = await timedProbe('service', target(es.port), { check: 'elasticsearch' }, 2000);
    expect(result.outcome).toBe('ok');
    expect(result.detail).toBe('Elasticsearch cluster health: alive, authentication required (HTTP 401, Basic)');
    expect(result.facts).toEqual({ auth: 'required' });
  });

  it('an error status names the error type Elasticsearch gives', async () => {
    const es = await serve((_req, res) =>
      sendJson(res, 503, {
        error: { root_cause: [], type: 'master_not_discovered_exception', reason: null },
        status: 503,
      }),
    );
    const { result } = await timedProbe('service', target(es.port), { check: 'elasticsearch' }, 2000);
    expect(result.outcome).toBe('protocol');
    expect(result.detail).toBe('cluster health: HTTP 503 Service Unavailable: master_not_discovered_exception');
  });

  it('a 200 that is not JSON is a protocol mismatch', async () => {
    const web = await serve((_req, res) => res.end('<html><body>It works!</body></html>'));
    const { result } = await timedProbe('service', target(web.port), { check: 'elasticsearch' }, 2000);
    expect(result.outcome).toBe('protocol');
    expect(result.detail).toBe('expected JSON from Elasticsearch, got HTTP 200 "<html><body>It works!</body></html>"');
  });

  it('a body delimited by the server closing (HTTP/1.0, no length) is read to the end', async () => {
    const old = await listen((s) =>
      s.once('data', () =>
        s.end(`HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(esHealth('green', 0))}`),
      ),
    );
    running.push(old);
    const { result } = await timedProbe('service', target(old.port), { check: 'elasticsearch' }, 2000);
    expect(result.outcome).toBe('ok');
    expect(result.facts?.cluster).toBe('green');
  });

  it('a service that is not HTTP fails fast, shown safely', async () => {
    const other = await listen((s) => s.write('-ERR unknown command \u0001\r\n'));
    running.push(other);
    const { result, waited } = await timedProbe('service', target(other.port), { check: 'elasticsearch' }, 2000);
    expect(result.outcome).toBe('protocol');
    expect(result.detail).toBe('expected an HTTP response, got "-ERR unknown command \\x01\\r\\n"');
    expect(waited).toBeLessThan(1000);
  });

  it('a body past the read bound is refused without reading it', async () => {
    const big = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': 100_000 });
      res.end(Buffer.alloc(100_000, ' '));
    });
    const { result } = await timedProbe('service', target(big.port), { check: 'elasticsearch' }, 2000);
    expect(result.outcome).toBe('protocol');
    expect(result.detail).toBe('expected a JSON body, got more than 16384 bytes');
  });

  it('a server that accepts and stays silent times out within the deadline', async () => {
    const silent = await listen(() => undefined);
    running.push(silent);
    const { result, waited } = await timedProbe('service', target(silent.port), { check: 'elasticsearch' }, 600);
    expect(result.outcome).toBe('timeout');
    expect(result.detail).toBe('waited for an HTTP response until the deadline');
    expect(waited).toBeLessThan(600 + MARGIN_MS);
  });

  it('over implicit TLS (Elasticsearch 8 defaults to HTTPS), with the certificate reported', async () => {
    const es = await httpsServer(pki.valid, (_req, res) => sendJson(res, 200, esHealth('green', 0)));
    running.push(es);
    const { result } = await timedProbe(
      'service',
      target(es.port),
      { check: 'elasticsearch', implicitTls: true, ca: [pki.ca.cert] },
      3000,
    );
    expect(result.outcome).toBe('ok');
    expect(result.facts?.cluster).toBe('green');
    expect(result.tls?.subject).toMatch(/localhost/);
  });
});

describe('solr check (against a loopback stand-in for Solr)', () => {
  it('system info gives the version and mode', async () => {
    let url: string | undefined;
    const s = await serve((req, res) => {
      url = req.url;
      sendJson(res, 200, solrSystem);
    });
    const { result } = await timedProbe('service', target(s.port), { check: 'solr' }, 2000);
    expect(result.outcome).toBe('ok');
    expect(result.detail).toBe('Solr system info: Solr 9.4.0 (std)');
    expect(result.facts).toEqual({ version: '9.4.0', mode: 'std' });
    expect(url).toBe('/solr/admin/info/system?wt=json');
  });

  it('404 says there is no Solr at that path', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(404, { 'Content-Type': 'text/html' });
      res.end('<h1>Not Found</h1>');
    });
    const { result } = await timedProbe('service', target(s.port), { check: 'solr' }, 2000);
    expect(result.outcome).toBe('protocol');
    expect(result.detail).toBe('no Solr at /solr/admin/info/system?wt=json: HTTP 404');
  });

  it('401 (basic auth plugin) is alive, authentication required', async () => {
    const s = await serve((_req, res) =>
      sendJson(
        res,
        401,
        { responseHeader: { status: 401, QTime: 0 }, error: { msg: 'require authentication', code: 401 } },
        { 'WWW-Authenticate': 'Basic realm="solr"' },
      ),
    );
    const { result } = await timedProbe('service', target(s.port), { check: 'solr' }, 2000);
    expect(result.outcome).toBe('ok');
    expect(result.facts).toEqual({ auth: 'required' });
  });

  it('JSON that is not Solr system info is a protocol mismatch', async () => {
    const s = await serve((_req, res) => sendJson(res, 200, esHealth('green', 0)));
    const { result } = await timedProbe('service', target(s.port), { check: 'solr' }, 2000);
    expect(result.outcome).toBe('protocol');
    expect(result.detail).toMatch(/^expected Solr system info, got "\{"cluster_name":"testcluster"/);
  });
});
