// Portwatch instances as Prometheus scrape targets (prometheus.yml) and Portwatch's tiers as alert
// rules (portwatch-rules.yml). Unlike the blackbox export, Prometheus does not probe here: each
// `portwatch serve` keeps probing and diagnosing, and Prometheus reads its verdicts from /metrics
// (main/serve/metrics.ts) to store them and decide when to alert.

import { stringify } from 'yaml';
import { TIERS, type Tier } from '../../../shared/catalog';
import { policyFor, type Monitor } from '../../../shared/monitor';
import { goDuration, type ExportedFile, type NotCarried } from './export-result';

export const DEFAULT_INSTANCE = 'http://127.0.0.1:7788';
export const DEFAULT_ALERTMANAGER = '127.0.0.1:9093';
export const DEFAULT_SCRAPE_INTERVAL_MS = 15_000;
/** Where Prometheus looks for the metrics token when none is named: beside prometheus.yml. */
export const DEFAULT_TOKEN_FILE = 'portwatch-metrics.token';
export const RULES_FILE = 'portwatch-rules.yml';
export const JOB = 'portwatch';

const TIER_LIST: readonly Tier[] = [1, 2, 3];

const DOWN_SEVERITY: Record<Tier, 'critical' | 'warning' | 'info'> = { 1: 'critical', 2: 'warning', 3: 'info' };
// A port that answers slowly is never worse news than the same port gone.
const DEGRADED_SEVERITY: Record<Tier, 'warning' | 'info'> = { 1: 'warning', 2: 'info', 3: 'info' };

export interface PrometheusOptions {
  /** The `portwatch serve` base URLs to scrape. */
  instances?: readonly string[];
  /** The file holding serve's metrics token, as Prometheus will read it (relative: to prometheus.yml). */
  tokenFile?: string;
  /** host:port of Alertmanager. */
  alertmanager?: string;
  scrapeIntervalMs?: number;
  /**
   * Multiplies every rule's `for:`, for tests and demonstrations that cannot wait out a real
   * tier; never below the scrape interval, which stays the floor.
   */
  forScale?: number;
}

export interface Instance {
  scheme: 'http' | 'https';
  /** host:port, the way Prometheus writes a target. */
  address: string;
  metricsPath: string;
}

/** A serve URL as a scrape target, or why it cannot be one. */
export function parseInstance(text: string): Instance | string {
  // "127.0.0.1:7788" or "localhost:7788" would otherwise fail oddly, or parse with a made-up scheme.
  if (!/^https?:\/\//i.test(text)) return `"${text}" must start with http:// or https:// (like ${DEFAULT_INSTANCE})`;
  if (!URL.canParse(text)) return `"${text}" is not a URL (like ${DEFAULT_INSTANCE})`;
  const url = new URL(text);
  if (url.username || url.password)
    return `"${text}" holds credentials: Prometheus sends the metrics token from --metrics-token-file instead`;
  if (url.search || url.hash) return `"${text}" must not have a query or fragment`;
  const scheme = url.protocol === 'https:' ? 'https' : 'http';
  // Prometheus writes a target as host:port; the scheme's default port must be spelled out.
  const port = url.port || (scheme === 'https' ? '443' : '80');
  return { scheme, address: `${url.hostname}:${port}`, metricsPath: `${url.pathname.replace(/\/+$/, '')}/metrics` };
}

/** How long Portwatch takes to confirm a failure with a tier's defaults: its retries, spaced out. */
export function confirmationMs(tier: Tier): number {
  const policy = policyFor({ tier, kind: 'tcp' });
  return policy.retries * policy.retryIntervalMs;
}

/** A rule's `for:`: the confirmation time, scaled for tests, never shorter than one scrape. */
function forMs(confirmMs: number, options: Required<Pick<PrometheusOptions, 'scrapeIntervalMs' | 'forScale'>>): number {
  return Math.max(Math.round((confirmMs * options.forScale) / 1000) * 1000, options.scrapeIntervalMs);
}

const where = '{{ $labels.host }}:{{ $labels.port }}';
const seenBy = 'Portwatch at {{ $labels.instance }} (vantage {{ $labels.vantage }})';

interface Rule {
  alert: string;
  expr: string;
  for: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

function tierRules(tier: Tier, options: Required<PrometheusOptions>): Rule[] {
  const label = TIERS[tier].label;
  const confirm = confirmationMs(tier);
  const wait = goDuration(forMs(confirm, options));
  // The series carry the tier already; the rules say it again so each tier's rule is distinct
  // (promtool lints equal names with equal labels as duplicates) and routing never lacks it.
  const tierLabel = String(tier);
  const down: Rule = {
    alert: 'PortwatchDown',
    // Without data (paused, in maintenance, or the instance silent) there is no 0 to match: only
    // a check that ran and failed can fire this.
    expr: `probe_success{job="${JOB}",tier="${tier}"} == 0`,
    for: wait,
    labels: { severity: DOWN_SEVERITY[tier], tier: tierLabel },
    annotations: {
      summary: `{{ $labels.name }} (${where}) is DOWN`,
      description:
        `{{ $labels.name }} does not answer on host {{ $labels.host }} port {{ $labels.port }}: ` +
        `its checks by ${seenBy} have failed for longer than ${wait}. ` +
        `Tier ${tier} (${label}); Portwatch shows why it failed and since when.`,
    },
  };
  const degraded: Rule = {
    alert: 'PortwatchDegraded',
    expr: `portwatch_monitor_state{job="${JOB}",state="degraded",tier="${tier}"} == 1`,
    for: wait,
    labels: { severity: DEGRADED_SEVERITY[tier], tier: tierLabel },
    annotations: {
      summary: `{{ $labels.name }} (${where}) is degraded`,
      description:
        `{{ $labels.name }} on host {{ $labels.host }} port {{ $labels.port }} answers, ` +
        `but ${seenBy} judges it degraded (slow, or its certificate expires soon) for longer than ${wait}. ` +
        `Tier ${tier} (${label}).`,
    },
  };
  return [down, degraded];
}

function instanceRules(options: Required<PrometheusOptions>): Rule[] {
  // As soon as a tier-1 outage would be known, but never on one missed scrape (a restart).
  const wait = goDuration(Math.max(forMs(confirmationMs(1), options), 2 * options.scrapeIntervalMs));
  return [
    {
      alert: 'PortwatchInstanceDown',
      expr: `up{job="${JOB}"} == 0`,
      for: wait,
      labels: { severity: 'critical' },
      annotations: {
        summary: 'Portwatch at {{ $labels.instance }} does not answer Prometheus',
        description:
          'Prometheus has not scraped Portwatch at {{ $labels.instance }} for longer than ' +
          `${wait}. The monitors it checks are unknown, not down: no PortwatchDown fires for them until it answers, ` +
          'and their open alerts resolve because nothing reports them any more.',
      },
    },
    {
      alert: 'PortwatchInstanceOffline',
      expr: `portwatch_engine_offline{job="${JOB}"} == 1`,
      for: wait,
      labels: { severity: 'warning' },
      annotations: {
        summary: 'Portwatch at {{ $labels.instance }} (vantage {{ $labels.vantage }}) has lost its network',
        description:
          'Every remote check of Portwatch at {{ $labels.instance }} fails at network level, so it holds its ' +
          "monitors' last results instead of reporting them down. Their state is stale until it is back online.",
      },
    },
  ];
}

export interface PrometheusExport {
  files: ExportedFile[];
  notCarried: NotCarried[];
  /** What the rules leave to Portwatch alone, beyond single monitors. */
  general: string[];
}

/** What the tier rules cannot follow for one monitor. */
function monitorLosses(m: Monitor, options: Required<PrometheusOptions>): string[] {
  const out: string[] = [];
  const own = policyFor(m);
  const tierConfirm = confirmationMs(m.tier);
  if (own.retries * own.retryIntervalMs !== tierConfirm)
    out.push(
      `its own confirmation (${own.retries} × ${goDuration(own.retryIntervalMs)}): the tier ${m.tier} rule waits ` +
        `${goDuration(forMs(tierConfirm, options))} for every monitor of the tier`,
    );
  if (own.recoverySuccesses > 1)
    out.push(`${own.recoverySuccesses} successes before recovery: the alert resolves on the first good check`);
  if (m.alertChannels)
    out.push(`its own alert channels (${m.alertChannels.join(', ') || 'none'}): Alertmanager routes by tier`);
  return out;
}

export function renderPrometheus(monitors: readonly Monitor[], given: PrometheusOptions = {}): PrometheusExport {
  const options: Required<PrometheusOptions> = {
    instances: given.instances?.length ? given.instances : [DEFAULT_INSTANCE],
    tokenFile: given.tokenFile ?? DEFAULT_TOKEN_FILE,
    alertmanager: given.alertmanager ?? DEFAULT_ALERTMANAGER,
    scrapeIntervalMs: given.scrapeIntervalMs ?? DEFAULT_SCRAPE_INTERVAL_MS,
    forScale: given.forScale ?? 1,
  };
  const instances = options.instances.map((text) => {
    const parsed = parseInstance(text);
    if (typeof parsed === 'string') throw new Error(parsed);
    return parsed;
  });
  const first = instances[0] as Instance;
  // One job, so one `job` label for the rules to match; a target differing from the first in
  // scheme or path says so with Prometheus's own per-target labels.
  const groups = new Map<string, { targets: string[]; labels: Record<string, string> }>();
  for (const i of instances) {
    const key = `${i.scheme} ${i.metricsPath}`;
    const labels: Record<string, string> = {
      ...(i.scheme !== first.scheme && { __scheme__: i.scheme }),
      ...(i.metricsPath !== first.metricsPath && { __metrics_path__: i.metricsPath }),
    };
    const group = groups.get(key) ?? { targets: [] as string[], labels };
    if (!group.targets.includes(i.address)) group.targets.push(i.address);
    groups.set(key, group);
  }
  const interval = goDuration(options.scrapeIntervalMs);
  const prometheus = {
    global: { scrape_interval: interval, evaluation_interval: interval },
    rule_files: [RULES_FILE],
    alerting: { alertmanagers: [{ static_configs: [{ targets: [options.alertmanager] }] }] },
    scrape_configs: [
      {
        job_name: JOB,
        scrape_interval: interval,
        scrape_timeout: goDuration(Math.min(10_000, options.scrapeIntervalMs)),
        scheme: first.scheme,
        metrics_path: first.metricsPath,
        authorization: { type: 'Bearer', credentials_file: options.tokenFile },
        static_configs: [...groups.values()].map((g) =>
          Object.keys(g.labels).length ? { targets: g.targets, labels: g.labels } : { targets: g.targets },
        ),
      },
    ],
  };
  const rules = {
    groups: [
      {
        name: 'portwatch',
        interval,
        rules: [...instanceRules(options), ...TIER_LIST.flatMap((t) => tierRules(t, options))],
      },
    ],
  };
  const header = (what: string): string => `# ${what}, written by "portwatch export --format prometheus".\n`;
  const notCarried = monitors.flatMap((m) => monitorLosses(m, options).map((what) => ({ monitor: m.name, what })));
  return {
    files: [
      {
        name: 'prometheus.yml',
        text:
          header(`Prometheus scraping ${instances.length === 1 ? 'one Portwatch instance' : 'Portwatch instances'}`) +
          `# The metrics token is read from ${options.tokenFile} (a relative path is beside this file).\n` +
          stringify(prometheus, { lineWidth: 120 }),
      },
      {
        name: RULES_FILE,
        text: header("Alert rules for Portwatch's tiers") + stringify(rules, { lineWidth: 0 }),
      },
    ],
    notCarried,
    general: ['flapping detection: a port that keeps changing alerts on every outage longer than the rule\'s "for:"'],
  };
}
