import { promtoolProblems } from '../helpers/promtool';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../main/core/clock';
import { Engine } from '../../main/core/engine';
import { PortwatchMetrics } from '../../main/serve/metrics';
import type { Monitor } from '../../shared/monitor';
import type { CertificateFacts, Outcome, ProbeResult } from '../../shared/probe';
import { monitor } from '../helpers/monitors';

const T0 = Date.UTC(2026, 10, 26, 12, 0, 0);
const DAY = 86_400_000;

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Reads the text format back, label escapes included, so assertions see what Prometheus would. */
function parse(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g))
      labels[l[1] ?? ''] = (l[2] ?? '').replace(/\\(.)/g, (_x, c: string) => (c === 'n' ? '\n' : c));
    out.push({ name: m[1] ?? '', labels, value: Number(m[3]) });
  }
  return out;
}

const values = (samples: Sample[], name: string, match: Record<string, string> = {}): number[] =>
  samples
    .filter((s) => s.name === name && Object.entries(match).every(([k, v]) => s.labels[k] === v))
    .map((s) => s.value);

const cert = (validTo: number): CertificateFacts => ({
  subject: 'CN=shop.test',
  issuer: 'CN=Test CA',
  altNames: ['DNS:shop.test'],
  validFrom: new Date(T0 - 80 * DAY).toISOString(),
  validTo: new Date(validTo).toISOString(),
  daysLeft: 0,
  nameMatches: true,
  trusted: true,
  selfSigned: false,
  protocol: 'TLSv1.3',
  cipher: 'TLS_AES_128_GCM_SHA256',
  fingerprint256: '',
});

function setup(processMetrics = false) {
  const clock = new VirtualClock(T0);
  const outcomes = new Map<string, Outcome>();
  const certExpiry = T0 + 10.5 * DAY;
  const web = monitor({ port: 8080, name: 'say "hi" \\ then\nbye', service: 'http-alt', retries: 0 });
  const shop = monitor({ port: 443, kind: 'tls', name: 'shop', host: '127.0.0.2', tier: 2, retries: 0 });
  const db = monitor({ port: 5432, kind: 'service', check: 'postgres', name: 'db', retries: 0 });
  const off = monitor({ port: 6379, name: 'off', enabled: false });
  let list: Monitor[] = [web, shop, db, off];
  const check = async (m: Monitor): Promise<ProbeResult> => {
    const outcome = outcomes.get(m.id) ?? 'ok';
    const base = { detail: outcome, diagnosis: `${m.name} ${outcome}`, startedAt: clock.now() };
    if (outcome !== 'ok') return { ...base, outcome, phase: 'connect', ms: 1, phases: { connect: 1 } };
    if (m.kind === 'tls')
      return { ...base, outcome, phase: 'tls', ms: 7.5, phases: { connect: 1.5, tls: 6 }, tls: cert(certExpiry) };
    return { ...base, outcome, phase: 'connect', ms: 2, phases: { connect: 2 } };
  };
  const engine = new Engine({ clock, check });
  const listeners = new Set<() => void>();
  const config = {
    monitors: () => list,
    onChange: (l: () => void) => (listeners.add(l), () => void listeners.delete(l)),
  };
  const setList = (next: Monitor[]): void => {
    list = next;
    engine.setMonitors(list);
    for (const l of listeners) l();
  };
  engine.setMonitors(list);
  const metrics = new PortwatchMetrics({ engine, config, vantage: 'lab-1', now: () => clock.now(), processMetrics });
  const scrape = (): Sample[] => parse(Buffer.concat(metrics.render()).toString());
  const checkAll = async (): Promise<void> => {
    engine.checkAllNow();
    await clock.advance(100);
  };
  return { clock, outcomes, engine, metrics, scrape, checkAll, setList, web, shop, db, off, certExpiry };
}

describe('/metrics rendering', () => {
  it('shows every monitor as unknown, without probe results, before its first check', () => {
    const { scrape, web, off, metrics, engine } = setup();
    const s = scrape();
    expect(values(s, 'portwatch_monitor_state', { monitor: web.id, state: 'unknown' })).toEqual([1]);
    expect(values(s, 'portwatch_monitor_state', { monitor: off.id, state: 'paused' })).toEqual([1]);
    expect(values(s, 'probe_success')).toEqual([]);
    expect(values(s, 'portwatch_monitors')).toEqual([4]);
    metrics.dispose();
    return engine.stop();
  });

  it("reports each monitor's last check as blackbox_exporter would, and its state one-hot", async () => {
    const { scrape, checkAll, outcomes, web, shop, db, off, certExpiry, metrics, engine } = setup();
    outcomes.set(db.id, 'refused');
    await checkAll();
    const s = scrape();
    expect(values(s, 'probe_success', { monitor: web.id })).toEqual([1]);
    expect(values(s, 'probe_success', { monitor: shop.id })).toEqual([1]);
    expect(values(s, 'probe_success', { monitor: db.id })).toEqual([0]);
    // A disabled monitor is not checked, so it has no last check to report.
    expect(values(s, 'probe_success', { monitor: off.id })).toEqual([]);
    expect(values(s, 'probe_duration_seconds', { monitor: shop.id })).toEqual([0.0075]);
    expect(values(s, 'probe_phase_duration_seconds', { monitor: shop.id, phase: 'tls' })).toEqual([0.006]);
    expect(values(s, 'probe_phase_duration_seconds', { monitor: shop.id, phase: 'connect' })).toEqual([0.0015]);
    expect(values(s, 'probe_ssl_earliest_cert_expiry', { monitor: shop.id })).toEqual([certExpiry / 1000]);
    expect(values(s, 'portwatch_certificate_days_left', { monitor: shop.id })).toEqual([10]);
    expect(values(s, 'probe_ssl_earliest_cert_expiry', { monitor: web.id })).toEqual([]);

    const stateOf = (id: string) =>
      Object.fromEntries(
        s
          .filter((x) => x.name === 'portwatch_monitor_state' && x.labels.monitor === id)
          .map((x) => [x.labels.state, x.value]),
      );
    expect(stateOf(db.id)).toEqual({ unknown: 0, up: 0, degraded: 0, pending: 0, down: 1, paused: 0, maintenance: 0 });
    expect(stateOf(web.id)).toEqual({ unknown: 0, up: 1, degraded: 0, pending: 0, down: 0, paused: 0, maintenance: 0 });
    expect(values(s, 'portwatch_incidents_total', { monitor: db.id })).toEqual([1]);
    expect(values(s, 'portwatch_incidents_total', { monitor: web.id })).toEqual([0]);
    expect(values(s, 'portwatch_monitor_down_since_seconds', { monitor: db.id })).toEqual([T0 / 1000]);
    expect(values(s, 'portwatch_monitor_down_since_seconds', { monitor: web.id })).toEqual([]);
    metrics.dispose();
    await engine.stop();
  });

  it('labels each series with bounded facts of the monitor and the vantage, escaped so they read back intact', async () => {
    const { scrape, checkAll, web, db, shop, metrics, engine } = setup();
    await checkAll();
    const s = scrape();
    const [sample] = s.filter((x) => x.name === 'probe_success' && x.labels.monitor === web.id);
    expect(sample?.labels).toEqual({
      monitor: web.id,
      name: 'say "hi" \\ then\nbye',
      host: '127.0.0.1',
      port: String(web.port),
      service: 'http-alt',
      tier: '1',
      vantage: 'lab-1',
    });
    expect(values(s, 'probe_success', { monitor: db.id, service: 'postgres' })).toEqual([1]);
    expect(values(s, 'probe_success', { monitor: shop.id, host: '127.0.0.2', tier: '2', service: '' })).toEqual([1]);
    const names = new Set(s.flatMap((x) => Object.keys(x.labels)));
    expect([...names].sort()).toEqual([
      'host',
      'monitor',
      'name',
      'phase',
      'port',
      'service',
      'state',
      'tier',
      'vantage',
    ]);
    expect(values(s, 'portwatch_engine_offline', { vantage: 'lab-1' })).toEqual([0]);
    metrics.dispose();
    await engine.stop();
  });

  it('counts each new incident, and clears the down time on recovery', async () => {
    const { scrape, checkAll, outcomes, db, clock, metrics, engine } = setup();
    outcomes.set(db.id, 'refused');
    await checkAll();
    outcomes.set(db.id, 'ok');
    await clock.advance(10_000);
    await checkAll();
    let s = scrape();
    expect(values(s, 'probe_success', { monitor: db.id })).toEqual([1]);
    expect(values(s, 'portwatch_monitor_down_since_seconds', { monitor: db.id })).toEqual([]);
    expect(values(s, 'portwatch_incidents_total', { monitor: db.id })).toEqual([1]);

    await clock.advance(10_000);
    outcomes.set(db.id, 'timeout');
    const failedAt = clock.now();
    await checkAll();
    s = scrape();
    expect(values(s, 'portwatch_incidents_total', { monitor: db.id })).toEqual([2]);
    expect(values(s, 'portwatch_monitor_down_since_seconds', { monitor: db.id })).toEqual([failedAt / 1000]);
    metrics.dispose();
    await engine.stop();
  });

  it('stops reporting probe results while monitoring is paused, and says it is paused', async () => {
    const { scrape, checkAll, outcomes, db, engine, metrics } = setup();
    outcomes.set(db.id, 'refused');
    await checkAll();
    engine.pauseAll();
    const s = scrape();
    // A stale probe_success 0 would keep "probe_success == 0" alerts firing through the pause.
    expect(values(s, 'probe_success')).toEqual([]);
    expect(values(s, 'portwatch_engine_paused')).toEqual([1]);
    expect(values(s, 'portwatch_monitor_state', { monitor: db.id, state: 'paused' })).toEqual([1]);
    metrics.dispose();
    await engine.stop();
  });

  it('drops the series of a removed monitor', async () => {
    const { scrape, checkAll, setList, web, shop, metrics, engine } = setup();
    await checkAll();
    setList([web]);
    const s = scrape();
    expect(values(s, 'portwatch_monitors')).toEqual([1]);
    expect(s.some((x) => x.labels.monitor === shop.id)).toBe(false);
    expect(values(s, 'probe_success', { monitor: web.id })).toEqual([1]);
    metrics.dispose();
    await engine.stop();
  });

  it("passes promtool's check, process metrics included", async () => {
    const { checkAll, outcomes, db, engine, metrics } = setup(true);
    outcomes.set(db.id, 'refused');
    await checkAll();
    const text = Buffer.concat(await metrics.metrics()).toString();
    expect(text).toMatch(/^process_cpu_user_seconds_total\{vantage="lab-1"\} /m);
    expect(text).toMatch(/^portwatch_certificate_days_left\{/m);
    expect(promtoolProblems(text)).toEqual([]);
    metrics.dispose();
    await engine.stop();
  });
});
