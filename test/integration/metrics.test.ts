import { promtoolProblems } from '../helpers/promtool';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, portwatchIn } from '../helpers/cli';
import { closedPort, listen } from '../helpers/net';
import { waitFor } from '../helpers/monitors';

// The CLI bundle must be current: `node build.config.mjs cli` (npm test builds it first).
const TOKEN = 'api-token-0123456789abcdef';
const METRICS_TOKEN = 'scrape-token-0123456789abcdef';

interface Served {
  child: ChildProcess;
  base: string;
  stop: () => Promise<void>;
}

async function serve(home: string, env: Record<string, string>, ...args: string[]): Promise<Served> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', ...args], {
    env: { ...process.env, PORTWATCH_HOME: home, PORTWATCH_TOKEN: TOKEN, PORTWATCH_METRICS_TOKEN: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  await waitFor(() => /serving .* on (http:\S+)/.test(stdout), 10_000, 'serve to start');
  const base = (/on (http:\S+)/.exec(stdout)?.[1] ?? '').replace(/\/$/, '');
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  };
  return { child, base, stop };
}

/** probe_success per monitor id, as a scrape of the text format shows it. */
const successOf = (text: string): Record<string, number> =>
  Object.fromEntries(
    [...text.matchAll(/^probe_success\{monitor="([^"]+)"[^}]*\} (\S+)$/gm)].map((m) => [m[1], Number(m[2])]),
  );

describe('portwatch serve: /metrics', () => {
  let dir: string;
  let served: Served;
  let open: Awaited<ReturnType<typeof listen>>;
  const ids: { up: string; down: string } = { up: '', down: '' };

  const api = async (path: string, init: RequestInit = {}, token: string | null = TOKEN) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    const res = await fetch(`${served.base}${path}`, { ...init, headers });
    return { status: res.status, body: (await res.json()) as { ok: boolean; value?: unknown; error?: string } };
  };
  const scrape = async (token: string | null = METRICS_TOKEN) => {
    const res = await fetch(`${served.base}/metrics`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
    return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
  };

  beforeAll(async () => {
    open = await listen();
    dir = mkdtempSync(join(tmpdir(), 'pw-metrics-'));
    served = await serve(join(dir, 'home'), {}, '--metrics-token', METRICS_TOKEN, '--vantage', 'ci-box');
    const add = async (name: string, port: number): Promise<string> => {
      const r = await api('/api/monitors', {
        method: 'POST',
        body: JSON.stringify({ name, kind: 'tcp', host: '127.0.0.1', port, intervalSec: 5, retries: 0 }),
      });
      expect(r.status).toBe(200);
      return (r.body.value as { id: string }).id;
    };
    ids.up = await add('listener', open.port);
    ids.down = await add('nothing there', await closedPort());
    const checked = await api('/api/call/checkAll', { method: 'POST', body: JSON.stringify({ args: [] }) });
    expect(checked.body).toEqual({ ok: true, value: true });
  });
  afterAll(async () => {
    await served?.stop();
    await open?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("shows each monitor's last check and state in the Prometheus text format", async () => {
    let res = await scrape();
    for (const deadline = Date.now() + 10_000; Object.keys(successOf(res.text)).length < 2 && Date.now() < deadline;) {
      await new Promise((r) => setTimeout(r, 100));
      res = await scrape();
    }
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(successOf(res.text)).toEqual({ [ids.up]: 1, [ids.down]: 0 });
    const state = (id: string, s: string) =>
      new RegExp(`^portwatch_monitor_state\\{monitor="${id}",[^}]*state="${s}"\\} 1$`, 'm').test(res.text);
    expect(state(ids.up, 'up')).toBe(true);
    expect(state(ids.down, 'down')).toBe(true);
    expect(res.text.match(/^portwatch_monitor_state\{.*\} 1$/gm)).toHaveLength(2);
    const duration = /^probe_duration_seconds\{monitor="([^"]+)".*\} (\S+)$/gm;
    const durations = [...res.text.matchAll(duration)].map((m) => Number(m[2]));
    expect(durations).toHaveLength(2);
    for (const d of durations) expect(d).toBeGreaterThan(0);
    expect(res.text).toContain(
      `probe_success{monitor="${ids.up}",name="listener",host="127.0.0.1",port="${open.port}",service="",tier="2",vantage="ci-box"} 1`,
    );
    expect(res.text).toMatch(/^process_resident_memory_bytes\{vantage="ci-box"\} \d+/m);
    expect(promtoolProblems(res.text)).toEqual([]);
  });

  it('opens /metrics only with the metrics token, and the API only with the API token', async () => {
    expect((await scrape(null)).status).toBe(401);
    expect((await scrape('wrong-token-0123456789abcdef')).status).toBe(401);
    expect((await scrape(TOKEN)).status).toBe(401);
    const viaQuery = await fetch(`${served.base}/metrics?token=${METRICS_TOKEN}`);
    expect(viaQuery.status).toBe(401);
    expect((await api('/api/monitors', {}, METRICS_TOKEN)).status).toBe(401);
    expect((await api('/api/monitors')).status).toBe(200);
  });

  it('is scraped by a real Prometheus with the bearer token', async () => {
    const promPort = await closedPort();
    const target = served.base.replace(/^http:\/\//, '');
    const config = join(dir, 'prometheus.yml');
    writeFileSync(
      config,
      [
        'global:',
        '  scrape_interval: 1s',
        '  scrape_timeout: 1s',
        '  evaluation_interval: 1s',
        'scrape_configs:',
        '  - job_name: portwatch',
        '    authorization:',
        `      credentials: ${METRICS_TOKEN}`,
        '    static_configs:',
        `      - targets: ['${target}']`,
        '',
      ].join('\n'),
    );
    const prometheus = spawn(
      'prometheus',
      [
        `--config.file=${config}`,
        `--storage.tsdb.path=${join(dir, 'tsdb')}`,
        `--web.listen-address=127.0.0.1:${promPort}`,
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let log = '';
    prometheus.stderr?.on('data', (d: Buffer) => (log += d.toString()));
    try {
      type Series = { metric: Record<string, string>; value: [number, string] };
      let series: Series[] = [];
      const deadline = Date.now() + 30_000;
      while (series.length < 2 && Date.now() < deadline && prometheus.exitCode === null) {
        try {
          const r = await fetch(`http://127.0.0.1:${promPort}/api/v1/query?query=probe_success`);
          series = ((await r.json()) as { data: { result: Series[] } }).data.result;
        } catch {
          // Not listening yet.
        }
        if (series.length < 2) await new Promise((r) => setTimeout(r, 250));
      }
      expect(series.length, `Prometheus saw: ${JSON.stringify(series)}\n${log}`).toBe(2);
      const byMonitor = Object.fromEntries(series.map((s) => [s.metric.monitor, s.value[1]]));
      expect(byMonitor).toEqual({ [ids.up]: '1', [ids.down]: '0' });
      for (const s of series) expect(s.metric).toMatchObject({ job: 'portwatch', instance: target, vantage: 'ci-box' });
    } finally {
      if (prometheus.exitCode === null) {
        const exited = new Promise((r) => prometheus.once('exit', r));
        prometheus.kill('SIGTERM');
        await exited;
      }
    }
  });

  it('is off without a metrics token, and says how to turn it on', async () => {
    const bare = await serve(join(dir, 'home-bare'), {});
    try {
      const res = await fetch(`${bare.base}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(res.status).toBe(404);
      expect(await res.text()).toMatch(/--metrics-token/);
    } finally {
      await bare.stop();
    }
    const same = await portwatchIn(
      { PORTWATCH_HOME: join(dir, 'home-bare'), PORTWATCH_TOKEN: TOKEN },
      'serve',
      '--port',
      '0',
      '--metrics-token',
      TOKEN,
    );
    expect(same.code).toBe(2);
    expect(same.stderr).toMatch(/must differ from the API token/);
  });
});
