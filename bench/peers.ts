// Portwatch next to the Debian peers (monitoring-plugins' check_* and prometheus-blackbox-exporter),
// aimed at the same loopback servers: per case, each tool's verdict, its reason, and its time.
// Prints a markdown table (docs/peers.md records one). Asserts nothing. Run as root (iptables,
// sshd, dovecot, vsftpd): `node out/bench/peers.mjs` (BENCH_PEER_RUNS=3 runs per cell, median time).
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runProbe } from '../main/core/probes/run';
import { monotonic } from '../main/core/probes/clock';
import type { ProbeResult } from '../shared/probe';
import { makePki } from '../test/helpers/certs';
import { startRedis, waitForPort } from '../test/helpers/daemons';
import { startDovecot, startSmtpSink, startSshd, startVsftpd } from '../test/helpers/daemons-text';
import { closedPort, dropPort, listen } from '../test/helpers/net';
import { httpServer } from '../test/helpers/servers';

const RUNS = Math.max(1, Number(process.env.BENCH_PEER_RUNS ?? 3));
const TIMEOUT_MS = 2000;
const PLUGINS = '/usr/lib/nagios/plugins';
const HOST = '127.0.0.1';

// ---- cleanup: every server, the iptables rule and the temp folder go, also on Ctrl-C ----

const cleanups: (() => unknown)[] = [];
let cleaning: Promise<void> | undefined;
/** Runs once; every caller (the signal handler, the end of the run) waits for the same pass. */
const cleanup = (): Promise<void> =>
  (cleaning ??= (async () => {
    for (const fn of cleanups.reverse()) {
      try {
        await fn();
      } catch (e) {
        console.error(`cleanup: ${String(e)}`);
      }
    }
  })());
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    console.error(`\n${signal}: cleaning up`);
    void cleanup().then(() => process.exit(130));
  });

// ---- one verdict, whoever gave it ----

interface Verdict {
  ok: boolean;
  /** "ok", "CRITICAL", "timeout", …: what is compared between runs. */
  state: string;
  reason: string;
  ms: number;
  /** Whether `ms` is the tool's own figure (true) or wall time around it. */
  reported: boolean;
  /** Portwatch's one line for a person, on a failure. */
  diagnosis?: string;
}

/** One line, ports replaced by PORT (they change every run), at most `max` characters. */
const short = (text: string, max = 100): string => {
  const one = text
    .replace(/\s+/g, ' ')
    .replace(/\b(port |127\.0\.0\.1:)\d{2,5}\b/g, '$1PORT')
    .trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
};

/** A monitoring-plugins check: exit status 0 is OK; the reason is its status line, the time its `time=` perfdata. */
function plugin(name: string, args: string[]): () => Promise<Verdict> {
  return () =>
    new Promise((resolve) => {
      const t0 = monotonic();
      execFile(`${PLUGINS}/${name}`, args, { timeout: 15_000 }, (err, stdout, stderr) => {
        const wall = monotonic() - t0;
        const code = err ? (typeof err.code === 'number' ? err.code : 3) : 0;
        const line = (stdout || stderr).split('\n')[0] ?? '';
        const [text = '', perf = ''] = line.split('|');
        const time = /(?:^|\s)time=([\d.]+)s/.exec(perf);
        const state = ['OK', 'WARNING', 'CRITICAL', 'UNKNOWN'][code] ?? `exit ${code}`;
        resolve({
          ok: code === 0,
          state,
          reason: short(text),
          ms: time ? Number(time[1]) * 1000 : wall,
          reported: Boolean(time),
        });
      });
    });
}

let blackboxPort = 0;

/** blackbox_exporter's /probe with debug=true: probe_success, probe_duration_seconds and the first error its log gives. */
function blackbox(module: string, target: string): () => Promise<Verdict> {
  return async () => {
    const t0 = monotonic();
    const url = `http://${HOST}:${blackboxPort}/probe?module=${module}&target=${encodeURIComponent(target)}&debug=true`;
    const text = await (await fetch(url)).text();
    const wall = monotonic() - t0;
    const success = /^probe_success (\S+)/m.exec(text);
    const duration = /^probe_duration_seconds (\S+)/m.exec(text);
    const ok = success?.[1] === '1';
    // The scrape itself carries metrics only; the why is in the debug log (or the exporter's own log).
    const errors = text
      .split('\n')
      .map((l) => /level=(?:error (.*)|info (msg="Invalid.*))$/.exec(l))
      .map((m) => m?.[1] ?? m?.[2])
      .filter((l): l is string => l !== undefined && !/msg="Probe failed"/.test(l))
      .map((l) =>
        l
          .replace(/^msg="([^"]*)"\s*/, '$1: ')
          .replace(/err="([^"]*)"/, '$1')
          .replace(/(dial|read) tcp4 \S+: /, '$1: '),
      );
    const first = errors[0];
    return {
      ok,
      state: ok ? 'probe_success 1' : 'probe_success 0',
      reason: short(ok ? 'probe_success 1' : `probe_success 0 (debug log: ${first ?? 'no error logged'})`),
      ms: duration ? Number(duration[1]) * 1000 : wall,
      reported: Boolean(duration),
    };
  };
}

const fromProbe = (r: ProbeResult): Verdict => ({
  ok: r.outcome === 'ok',
  state: r.outcome,
  reason: short(r.outcome === 'ok' ? `ok: ${r.detail}` : `${r.outcome} (${r.phase}): ${r.detail}`),
  ms: r.ms,
  reported: true,
  ...(r.outcome === 'ok' ? {} : { diagnosis: r.diagnosis }),
});

function portwatch(...args: Parameters<typeof runProbe>): () => Promise<Verdict> {
  return async () => fromProbe(await runProbe(...args));
}
const tcp = (port: number) => portwatch('tcp', { host: HOST, port }, {}, { timeoutMs: TIMEOUT_MS });
const service = (check: string, port: number) =>
  portwatch('service', { host: HOST, port }, { check }, { timeoutMs: TIMEOUT_MS });
const http = (port: number, path: string) =>
  portwatch('http', { host: HOST, port }, { url: `http://${HOST}:${port}${path}` }, { timeoutMs: TIMEOUT_MS });

// ---- running a cell several times ----

interface Measured {
  verdict: Verdict;
  /** Median of the runs' times. */
  ms: number;
  /** Every run gave the same state. */
  steady: boolean;
}

async function measure(run: () => Promise<Verdict>): Promise<Measured> {
  const all: Verdict[] = [];
  for (let i = 0; i < RUNS; i++) all.push(await run());
  const first = all[0] as Verdict;
  const times = all.map((v) => v.ms).sort((a, b) => a - b);
  return {
    verdict: first,
    ms: times[Math.floor(times.length / 2)] ?? NaN,
    steady: all.every((v) => v.state === first.state),
  };
}

const fmtMs = (m: Measured): string => {
  const ms = m.ms >= 100 ? m.ms.toFixed(0) : m.ms >= 10 ? m.ms.toFixed(1) : m.ms.toFixed(2);
  return `${ms} ms${m.verdict.reported ? '' : ' (wall)'}`;
};
const cell = (m: Measured): string =>
  `${m.verdict.ok ? '**ok**' : '**fail**'} ${m.verdict.reason}${m.steady ? '' : ' (runs differed)'}`.replace(
    /\|/g,
    '\\|',
  );

interface Row {
  case: string;
  peer: string;
  peerRun: () => Promise<Verdict>;
  pw: string;
  pwRun: () => Promise<Verdict>;
}

// ---- the servers ----

async function main(): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), 'pw-peers-'));
  cleanups.push(() => rmSync(scratch, { recursive: true, force: true }));
  const pki = makePki();

  const redis = await startRedis();
  cleanups.push(redis.stop);
  const sshd = await startSshd();
  cleanups.push(sshd.stop);
  const sink = await startSmtpSink();
  cleanups.push(sink.stop);
  const dovecot = await startDovecot(pki.valid);
  cleanups.push(dovecot.stop);
  const ftp = await startVsftpd();
  cleanups.push(ftp.stop);
  // Accepts every connection and never says a word: a hung service behind a live socket.
  const silent = await listen(() => undefined);
  cleanups.push(silent.close);
  const web = await httpServer((req, res) => {
    res.statusCode = req.url === '/fail' ? 500 : 200;
    res.end(req.url === '/fail' ? 'internal error\n' : 'hello\n');
  });
  cleanups.push(web.close);
  const closed = await closedPort();
  const dropped = await closedPort();
  const undrop = dropPort(dropped);
  cleanups.push(undrop);

  // blackbox_exporter with its own config in the scratch folder, on a free loopback port.
  const config = join(scratch, 'blackbox.yml');
  writeFileSync(
    config,
    [
      'modules:',
      '  tcp_connect:',
      '    prober: tcp',
      '    timeout: 2s',
      '    tcp:',
      '      preferred_ip_protocol: ip4',
      '  ssh_banner:',
      '    prober: tcp',
      '    timeout: 2s',
      '    tcp:',
      '      preferred_ip_protocol: ip4',
      '      query_response:',
      '        - expect: "^SSH-2.0-"',
      '  http_2xx:',
      '    prober: http',
      '    timeout: 2s',
      '    http:',
      '      preferred_ip_protocol: ip4',
      '',
    ].join('\n'),
  );
  blackboxPort = await closedPort();
  const bb = spawn(
    'prometheus-blackbox-exporter',
    [`--config.file=${config}`, `--web.listen-address=${HOST}:${blackboxPort}`],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let bbLog = '';
  bb.stdout.on('data', (d: Buffer) => (bbLog += d.toString()));
  bb.stderr.on('data', (d: Buffer) => (bbLog += d.toString()));
  cleanups.push(async () => {
    if (bb.exitCode !== null || bb.signalCode !== null) return;
    const exited = new Promise((r) => bb.once('exit', r));
    bb.kill('SIGTERM');
    await exited;
  });
  await waitForPort(blackboxPort, bb, () => bbLog);

  const t = ['-t', String(TIMEOUT_MS / 1000)];
  const at = (port: number) => ['-H', HOST, '-p', String(port), ...t];
  const target = (port: number) => `${HOST}:${port}`;

  const rows: Row[] = [
    {
      case: 'open TCP port (redis)',
      peer: 'check_tcp',
      peerRun: plugin('check_tcp', at(redis.port)),
      pw: 'tcp',
      pwRun: tcp(redis.port),
    },
    {
      case: 'open TCP port (redis)',
      peer: 'blackbox tcp_connect',
      peerRun: blackbox('tcp_connect', target(redis.port)),
      pw: 'tcp',
      pwRun: tcp(redis.port),
    },
    {
      case: 'closed port (refused)',
      peer: 'check_tcp',
      peerRun: plugin('check_tcp', at(closed)),
      pw: 'tcp',
      pwRun: tcp(closed),
    },
    {
      case: 'closed port (refused)',
      peer: 'blackbox tcp_connect',
      peerRun: blackbox('tcp_connect', target(closed)),
      pw: 'tcp',
      pwRun: tcp(closed),
    },
    {
      case: 'DROP-ed port (iptables)',
      peer: 'check_tcp',
      peerRun: plugin('check_tcp', at(dropped)),
      pw: 'tcp',
      pwRun: tcp(dropped),
    },
    {
      case: 'DROP-ed port (iptables)',
      peer: 'blackbox tcp_connect',
      peerRun: blackbox('tcp_connect', target(dropped)),
      pw: 'tcp',
      pwRun: tcp(dropped),
    },
    {
      case: 'DROP-ed port, watched as SSH',
      peer: 'check_ssh',
      peerRun: plugin('check_ssh', at(dropped)),
      pw: 'service ssh',
      pwRun: service('ssh', dropped),
    },
    {
      case: 'DROP-ed port, watched as SSH',
      peer: 'blackbox ssh_banner',
      peerRun: blackbox('ssh_banner', target(dropped)),
      pw: 'service ssh',
      pwRun: service('ssh', dropped),
    },
    {
      case: 'silent port (accepts, never answers)',
      peer: 'check_tcp',
      peerRun: plugin('check_tcp', at(silent.port)),
      pw: 'tcp',
      pwRun: tcp(silent.port),
    },
    {
      case: 'silent port (accepts, never answers)',
      peer: 'blackbox tcp_connect',
      peerRun: blackbox('tcp_connect', target(silent.port)),
      pw: 'tcp',
      pwRun: tcp(silent.port),
    },
    {
      case: 'silent port, watched as SSH',
      peer: 'check_tcp',
      peerRun: plugin('check_tcp', at(silent.port)),
      pw: 'service ssh',
      pwRun: service('ssh', silent.port),
    },
    {
      case: 'silent port, watched as SSH',
      peer: 'check_ssh',
      peerRun: plugin('check_ssh', at(silent.port)),
      pw: 'service ssh',
      pwRun: service('ssh', silent.port),
    },
    {
      case: 'silent port, watched as SSH',
      peer: 'blackbox ssh_banner',
      peerRun: blackbox('ssh_banner', target(silent.port)),
      pw: 'service ssh',
      pwRun: service('ssh', silent.port),
    },
    {
      case: 'SSH up (sshd)',
      peer: 'check_ssh',
      peerRun: plugin('check_ssh', at(sshd.port)),
      pw: 'service ssh',
      pwRun: service('ssh', sshd.port),
    },
    {
      case: 'SSH up (sshd)',
      peer: 'blackbox ssh_banner',
      peerRun: blackbox('ssh_banner', target(sshd.port)),
      pw: 'service ssh',
      pwRun: service('ssh', sshd.port),
    },
    {
      case: 'SSH check aimed at redis',
      peer: 'check_ssh',
      peerRun: plugin('check_ssh', at(redis.port)),
      pw: 'service ssh',
      pwRun: service('ssh', redis.port),
    },
    {
      case: 'SSH check aimed at redis',
      peer: 'blackbox ssh_banner',
      peerRun: blackbox('ssh_banner', target(redis.port)),
      pw: 'service ssh',
      pwRun: service('ssh', redis.port),
    },
    {
      case: 'SSH check aimed at SMTP (smtp-sink)',
      peer: 'check_ssh',
      peerRun: plugin('check_ssh', at(sink.port)),
      pw: 'service ssh',
      pwRun: service('ssh', sink.port),
    },
    {
      case: 'SSH check aimed at SMTP (smtp-sink)',
      peer: 'blackbox ssh_banner',
      peerRun: blackbox('ssh_banner', target(sink.port)),
      pw: 'service ssh',
      pwRun: service('ssh', sink.port),
    },
    {
      case: 'SMTP (smtp-sink)',
      peer: 'check_smtp',
      peerRun: plugin('check_smtp', at(sink.port)),
      pw: 'service smtp',
      pwRun: service('smtp', sink.port),
    },
    {
      case: 'IMAP (dovecot)',
      peer: 'check_imap',
      peerRun: plugin('check_imap', at(dovecot.imap)),
      pw: 'service imap',
      pwRun: service('imap', dovecot.imap),
    },
    {
      case: 'POP3 (dovecot)',
      peer: 'check_pop',
      peerRun: plugin('check_pop', at(dovecot.pop3)),
      pw: 'service pop3',
      pwRun: service('pop3', dovecot.pop3),
    },
    {
      case: 'FTP (vsftpd)',
      peer: 'check_ftp',
      peerRun: plugin('check_ftp', at(ftp.port)),
      pw: 'service ftp',
      pwRun: service('ftp', ftp.port),
    },
    {
      case: 'HTTP 200 (node http)',
      peer: 'check_http',
      peerRun: plugin('check_http', [...at(web.port), '-u', '/ok']),
      pw: 'http',
      pwRun: http(web.port, '/ok'),
    },
    {
      case: 'HTTP 200 (node http)',
      peer: 'blackbox http_2xx',
      peerRun: blackbox('http_2xx', `http://${target(web.port)}/ok`),
      pw: 'http',
      pwRun: http(web.port, '/ok'),
    },
    {
      case: 'HTTP 500 (node http)',
      peer: 'check_http',
      peerRun: plugin('check_http', [...at(web.port), '-u', '/fail']),
      pw: 'http',
      pwRun: http(web.port, '/fail'),
    },
    {
      case: 'HTTP 500 (node http)',
      peer: 'blackbox http_2xx',
      peerRun: blackbox('http_2xx', `http://${target(web.port)}/fail`),
      pw: 'http',
      pwRun: http(web.port, '/fail'),
    },
  ];

  console.log(
    `Portwatch vs Debian peers on loopback: ${RUNS} run(s) per cell (time = median), ${TIMEOUT_MS} ms timeout for every tool.`,
  );
  console.log('');
  console.log('| Case | Peer | Peer verdict | Peer time | Portwatch | Portwatch verdict | Portwatch ms | Agree |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  // A Portwatch cell shared by several rows is measured once.
  const pwCache = new Map<string, Measured>();
  const diagnoses = new Map<string, string>();
  for (const row of rows) {
    const peer = await measure(row.peerRun);
    const key = `${row.case}/${row.pw}`;
    const pw = pwCache.get(key) ?? (await measure(row.pwRun));
    pwCache.set(key, pw);
    if (pw.verdict.diagnosis) diagnoses.set(`${row.case} (${row.pw})`, pw.verdict.diagnosis);
    if (interrupted) return;
    const agree = peer.verdict.ok === pw.verdict.ok ? 'yes' : '**no**';
    console.log(
      `| ${row.case} | ${row.peer} | ${cell(peer)} | ${fmtMs(peer)} | ${row.pw} | ${cell(pw)} | ${fmtMs(pw)} | ${agree} |`,
    );
  }
  console.log('');
  console.log('Portwatch diagnoses of the failing cells:');
  console.log('');
  for (const [what, diagnosis] of diagnoses)
    console.log(`- ${what}: ${diagnosis.replace(/[0-9.]+:\d+/g, (a) => a.replace(/:\d+$/, ':PORT'))}`);
}

try {
  await main();
} catch (e) {
  // Once interrupted, the servers vanish under the running cell: its error is expected.
  if (!interrupted) {
    console.error(e);
    process.exitCode = 1;
  }
} finally {
  await cleanup();
  if (interrupted) process.exit(130);
}
