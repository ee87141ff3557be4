// Discoveries the window starts: each one a scan running in the background that the window polls
// for its progress, cancels, and reads the proposals of. The CLI runs its scan in the foreground
// and needs none of this.

import { randomUUID } from 'node:crypto';
import { MonitorSchema } from '../../../shared/monitor';
import { fail, ok, type Result } from '../../../shared/result';
import type { DiscoveredPort, DiscoveryProposal, DiscoveryStatus } from '../../../shared/api';
import { parseHosts } from './hosts';
import { parsePorts } from './ports';
import { propose } from './propose';
import { DEFAULT_CONCURRENCY, MAX_IN_FLIGHT, scan, type PortResult } from './scan';

/** How long a finished discovery's results stay to be read. */
export const KEEP_FINISHED_MS = 5 * 60_000;

/** Discoveries running at once: each may hold up to MAX_IN_FLIGHT connections. */
export const MAX_RUNNING = 3;

/** Finished discoveries kept at most, newest first, whatever their age. */
export const MAX_KEPT = 20;

/** A running discovery nobody has asked about for this long is cancelled: its window has gone. */
export const ABANDONED_MS = 2 * 60_000;

export const DEFAULT_TIMEOUT_MS = 2000;

export interface DiscoverOptions {
  concurrency?: number | undefined;
  timeoutMs?: number | undefined;
}

interface Job {
  id: string;
  host: string;
  state: DiscoveryStatus['state'];
  total: number;
  results: DiscoveredPort[];
  proposals: DiscoveryProposal[];
  error?: string;
  started: number;
  finished?: number;
  lastAsked: number;
  controller: AbortController;
  /** Settles when the scan has stopped. */
  ended: Promise<void>;
}

export interface DiscoveryJobs {
  /** Starts scanning one host; the answer is its first status, with the id to poll. */
  start(host: string, ports: string, options?: DiscoverOptions): Result<DiscoveryStatus>;
  /** With `from`, the results after the first `from` only, so a poll carries what is new. */
  status(id: string, from?: number): Result<DiscoveryStatus>;
  cancel(id: string): Result<DiscoveryStatus>;
  /** Resolves once the discovery's scan has stopped (for tests and shutdown). */
  settled(id: string): Promise<void>;
  /** Cancels every running discovery and forgets them all. */
  close(): Promise<void>;
}

export interface JobsDeps {
  scan?: typeof scan;
  /** The clock judging expiry, epoch ms. */
  now?: () => number;
}

/** Reads --ports as the window's Ports field: the CLI's errors without the flag's name. */
function portsFor(spec: string): Result<number[]> {
  if (spec.trim() === '')
    return fail('ports: name the ports to scan: catalog, top, a list like 22,80,6379 or a range like 8000-8100');
  const parsed = parsePorts(spec);
  if (parsed.ok) return parsed;
  return fail(`ports: ${parsed.error.replace(/^--ports (item )?/, '')}`);
}

const HOST_RULE = MonitorSchema.shape.host;

/** One host, as a monitor would name it; a range is the CLI's, where it is confirmed before it runs. */
function hostFor(text: string): Result<string> {
  const host = text.trim();
  if (host === '') return fail('host: name the host to scan: a name or an IP address');
  if (host.includes('/')) {
    const range = parseHosts(host);
    return fail(
      range.ok
        ? `host: ${host} is a range of ${range.value.hosts.length} addresses; the window scans one host at a time ` +
            `(the command line scans a range: portwatch discover ${host})`
        : `host: ${range.error}`,
    );
  }
  const withPort = /^([^:]+):(\d+)$/.exec(host);
  if (withPort) return fail(`host: write the host without a port (${withPort[1]}) and the port under Ports`);
  const checked = HOST_RULE.safeParse(host);
  if (!checked.success) return fail(`host: ${checked.error.issues[0]?.message ?? 'not a host name'}`);
  return ok(host);
}

function whole(value: number | undefined, fallback: number, what: string, min: number, max: number): Result<number> {
  if (value === undefined) return ok(fallback);
  if (!Number.isInteger(value) || value < min || value > max)
    return fail(`${what} must be a whole number from ${min} to ${max}, got ${value}`);
  return ok(value);
}

const portOf = (r: PortResult): DiscoveredPort => ({
  port: r.port,
  state: r.state,
  ...(r.state === 'open' && r.service ? { service: r.service } : {}),
  detail: r.detail,
});

export function createDiscoveryJobs(deps: JobsDeps = {}): DiscoveryJobs {
  const run = deps.scan ?? scan;
  const now = deps.now ?? Date.now;
  const jobs = new Map<string, Job>();
  let sweeper: ReturnType<typeof setInterval> | undefined;

  const view = (job: Job, from = 0): DiscoveryStatus => ({
    id: job.id,
    host: job.host,
    state: job.state,
    scanned: job.results.length,
    total: job.total,
    results: job.results.slice(Math.max(0, Math.floor(from))),
    proposals: [...job.proposals].sort((a, b) => a.monitor.port - b.monitor.port),
    ...(job.error !== undefined ? { error: job.error } : {}),
    elapsedMs: (job.finished ?? now()) - job.started,
  });

  const stop = (job: Job): void => {
    if (job.state !== 'running') return;
    job.state = 'cancelled';
    job.finished = now();
    job.controller.abort();
  };

  const sweep = (): void => {
    const t = now();
    const finished = [...jobs.values()].filter((j) => j.finished !== undefined);
    finished.sort((a, b) => (b.finished ?? 0) - (a.finished ?? 0));
    finished.forEach((j, i) => {
      if (i >= MAX_KEPT || t - (j.finished ?? t) > KEEP_FINISHED_MS) jobs.delete(j.id);
    });
    for (const j of jobs.values()) if (j.state === 'running' && t - j.lastAsked > ABANDONED_MS) stop(j);
    if (jobs.size === 0 && sweeper) {
      clearInterval(sweeper);
      sweeper = undefined;
    }
  };

  const find = (id: string): Result<Job> => {
    sweep();
    const job = jobs.get(id);
    if (job) return ok(job);
    return fail(
      `no discovery with id "${id}": it never ran here, or it finished more than ${KEEP_FINISHED_MS / 60_000} ` +
        'minutes ago and was forgotten (start it again)',
    );
  };

  return {
    start(hostText, portsText, options = {}) {
      sweep();
      const host = hostFor(hostText);
      if (!host.ok) return host;
      const ports = portsFor(portsText);
      if (!ports.ok) return ports;
      const concurrency = whole(options.concurrency, DEFAULT_CONCURRENCY, 'concurrency', 1, MAX_IN_FLIGHT);
      if (!concurrency.ok) return concurrency;
      const timeoutMs = whole(options.timeoutMs, DEFAULT_TIMEOUT_MS, 'the timeout', 100, 60_000);
      if (!timeoutMs.ok) return timeoutMs;
      const running = [...jobs.values()].filter((j) => j.state === 'running');
      if (running.length >= MAX_RUNNING)
        return fail(
          `${running.length} discoveries are running already (${running.map((j) => j.host).join(', ')}): ` +
            'wait for one to finish or cancel one',
        );

      const controller = new AbortController();
      const job: Job = {
        id: randomUUID(),
        host: host.value,
        state: 'running',
        total: ports.value.length,
        results: [],
        proposals: [],
        started: now(),
        lastAsked: now(),
        controller,
        ended: Promise.resolve(),
      };
      job.ended = run([host.value], {
        ports: ports.value,
        timeoutMs: timeoutMs.value,
        concurrency: concurrency.value,
        signal: controller.signal,
        onProgress: ({ total, last }) => {
          if (job.state !== 'running') return;
          job.total = total;
          job.results.push(portOf(last));
          const proposal = propose(last);
          if (proposal) job.proposals.push(proposal);
        },
      }).then(
        (report) => {
          if (job.state !== 'running') return;
          const unresolved = report.unresolved[0];
          job.state = unresolved ? 'failed' : 'done';
          if (unresolved) job.error = `host: ${unresolved.detail}`;
          job.finished = now();
        },
        (e: unknown) => {
          if (job.state !== 'running') return;
          job.state = 'failed';
          job.error = e instanceof Error ? e.message : String(e);
          job.finished = now();
        },
      );
      jobs.set(job.id, job);
      if (!sweeper) {
        sweeper = setInterval(sweep, 10_000);
        // Forgetting old discoveries is no reason to keep the process alive.
        sweeper.unref();
      }
      return ok(view(job));
    },

    status(id, from) {
      const job = find(id);
      if (!job.ok) return job;
      job.value.lastAsked = now();
      return ok(view(job.value, from));
    },

    cancel(id) {
      const job = find(id);
      if (!job.ok) return job;
      stop(job.value);
      return ok(view(job.value));
    },

    async settled(id) {
      await jobs.get(id)?.ended;
    },

    async close() {
      const all = [...jobs.values()];
      for (const j of all) stop(j);
      await Promise.all(all.map((j) => j.ended));
      jobs.clear();
      sweep();
    },
  };
}
