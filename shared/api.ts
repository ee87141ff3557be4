// The contract between the window and the app: every call the renderer may make, with the shape of
// its arguments and of its answer, and every event main pushes. Main validates against it, the
// preload forwards by its names, the renderer is typed by it. Adding a call is one entry in INVOKE
// (and one handler line in main/app/ipc.ts, which the compiler then asks for).

import { z } from 'zod';
import type {
  AlertSettings,
  AlertSettingsPatch,
  ChannelConfig,
  ChannelConfigInput,
  Delivery,
  OutboxEntry,
  OutboxState,
} from './alerts';
import type { Monitor, MonitorInput } from './monitor';
import type { Outcome, Phase, ProbeResult } from './probe';
import { fail, ok, type Result } from './result';
import type { Settings } from './settings';
import type { MonitorState, MonitorStatus, Transition } from './status';
import type { SourceInput, SourceView, VantageOverview } from './vantage';

export type { Result } from './result';

// What the calls answer: plain data, declared once here; the core (service, history) uses these.

export interface MonitorView {
  monitor: Monitor;
  state: MonitorState | undefined;
}

export interface Overview {
  counts: Record<MonitorStatus, number>;
  offline: boolean;
  suspended: boolean;
  paused: boolean;
}

export interface SeriesPoint {
  /** Bucket start, epoch ms. */
  t: number;
  count: number;
  up: number;
  degraded: number;
  down: number;
  /** Latency figures of the passing checks in the bucket; null when none passed. */
  minMs: number | null;
  meanMs: number | null;
  /** The median; the mean in hours rolled up before the history kept medians. */
  p50Ms: number | null;
  p95Ms: number | null;
  maxMs: number | null;
}

/** A monitor's last 24 hours at a glance, for the overview. */
export interface MonitorStats {
  checks: number;
  /** Share of the checks that passed, slow ones included; null when there were none. */
  upPct: number | null;
  /** Mean latency of the passing checks of each hour, oldest first, ms; null where none passed. */
  spark: (number | null)[];
}

export interface StoredResult {
  monitorId: string;
  at: number;
  outcome: Outcome;
  phase: Phase;
  ms: number;
  slow: boolean;
  /** Kept for failed results only. */
  detail?: string;
  diagnosis?: string;
}

export interface Incident {
  id: number;
  monitorId: string;
  startedAt: number;
  confirmedAt: number;
  /** Null while the outage goes on. */
  endedAt: number | null;
  outcome: Outcome;
  phase: Phase;
  diagnosis: string;
}

/** Changes to a saved monitor: a field given as null is removed (back to its default). */
export type MonitorPatch = { [K in keyof MonitorInput]?: MonitorInput[K] | null };

/** A monitor to add: the id may be left out, and one is made up. */
export type NewMonitor = Omit<MonitorInput, 'id'> & { id?: string };

/** What the engine tells its listeners, as plain data. */
export type PortwatchEvent =
  | { type: 'result'; monitorId: string; result: ProbeResult; state: MonitorState }
  | { type: 'transition'; monitorId: string; transition: Transition; state: MonitorState }
  | { type: 'offline' | 'online' | 'suspended' | 'resumed'; at: number };

// Argument schemas check shapes only: the service behind each call judges the values (a monitor's
// port, a range's order) and words its own errors.

const isObject = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Typed for the renderer, checked here only as "an object": the service validates the fields. */
const objectOf = <T>() => z.custom<T>(isObject, { error: 'must be an object' });

const Id = z
  .string()
  .min(1, 'must be a monitor id, not empty')
  .max(64, 'must be a monitor id of at most 64 characters');
const Range = z.strictObject({ from: z.number(), to: z.number(), bucketMs: z.number().optional() });
const IncidentQuery = z.strictObject({
  monitorId: Id.optional(),
  fromMs: z.number().optional(),
  toMs: z.number().optional(),
  limit: z.number().optional(),
});

export type Range = z.infer<typeof Range>;
export type IncidentQuery = z.infer<typeof IncidentQuery>;

/** One port a discovery finished, in the order they finished. */
export interface DiscoveredPort {
  port: number;
  state: 'open' | 'closed' | 'filtered';
  /** The catalog service recognised on an open port (its id); absent when unidentified. */
  service?: string;
  /** What it said, or why it is closed or filtered. */
  detail: string;
}

/** The monitor a discovery proposes for an open port, ready for monitors.add. */
export interface DiscoveryProposal {
  monitor: Omit<MonitorInput, 'id'>;
  /** External when the address answering is public. */
  exposure: 'internal' | 'external';
  /** A database, cache, queue or search service answering on a public address. */
  finding?: string;
  /** What was chosen for the monitor to pass as things are, and why. */
  note?: string;
}

export interface DiscoveryStatus {
  id: string;
  host: string;
  state: 'running' | 'done' | 'cancelled' | 'failed';
  scanned: number;
  total: number;
  /** The finished ports from the `from` asked for (all by default). */
  results: DiscoveredPort[];
  /** For the open ports finished so far, by port. */
  proposals: DiscoveryProposal[];
  /** Why it failed; an error about the host starts "host: ". */
  error?: string;
  elapsedMs: number;
}

const DiscoverOptions = z.strictObject({ concurrency: z.number().optional(), timeoutMs: z.number().optional() });

declare const RETURNS: unique symbol;
/** Carries a call's answer type; nothing at run time. */
export interface Returns<R> {
  readonly [RETURNS]?: R;
}
const returns = <R>(): Returns<R> => ({});

type ArgsSchema = z.ZodType<unknown[], unknown[]>;
export interface Call<A extends ArgsSchema = ArgsSchema, R = unknown> {
  /** The arguments, in order, as a tuple. */
  readonly args: A;
  readonly returns: Returns<R>;
}
const call = <A extends ArgsSchema, R>(args: A, answer: Returns<R>): Call<A, R> => ({ args, returns: answer });

/** Every call the renderer may make: its channel name, its arguments and its answer. */
export const INVOKE = {
  'monitors.list': call(z.tuple([]), returns<MonitorView[]>()),
  'monitors.get': call(z.tuple([Id]), returns<MonitorView>()),
  'monitors.add': call(z.tuple([objectOf<NewMonitor>()]), returns<Monitor>()),
  /** A field given as null is removed from the saved monitor. */
  'monitors.update': call(z.tuple([Id, objectOf<MonitorPatch>()]), returns<Monitor>()),
  'monitors.remove': call(z.tuple([Id]), returns<true>()),
  'monitors.checkNow': call(z.tuple([Id]), returns<true>()),
  /** Runs a check of a monitor as the editor holds it, saved or not; the answer is the probe's result. */
  'monitors.test': call(z.tuple([objectOf<NewMonitor>()]), returns<ProbeResult>()),
  checkAll: call(z.tuple([]), returns<true>()),
  pauseAll: call(z.tuple([]), returns<true>()),
  resumeAll: call(z.tuple([]), returns<true>()),
  overview: call(z.tuple([]), returns<Overview>()),
  /** Every monitor with history, by id; a monitor without any is absent. */
  'monitors.stats': call(z.tuple([]), returns<Record<string, MonitorStats>>()),
  series: call(z.tuple([Id, Range]), returns<SeriesPoint[]>()),
  uptime: call(z.tuple([Id, Range]), returns<{ checks: number; upPct: number | null }>()),
  recentResults: call(z.tuple([Id, z.number().optional()]), returns<StoredResult[]>()),
  incidents: call(z.tuple([IncidentQuery.optional()]), returns<Incident[]>()),
  'settings.get': call(z.tuple([]), returns<Settings>()),
  'settings.update': call(z.tuple([objectOf<Partial<Settings>>()]), returns<Settings>()),
  'alerts.get': call(z.tuple([]), returns<AlertSettings>()),
  'alerts.update': call(z.tuple([objectOf<AlertSettingsPatch>()]), returns<AlertSettings>()),
  'alerts.saveChannel': call(z.tuple([objectOf<ChannelConfigInput>()]), returns<ChannelConfig>()),
  'alerts.removeChannel': call(z.tuple([z.string()]), returns<true>()),
  'alerts.testChannel': call(z.tuple([z.string()]), returns<Delivery>()),
  'alerts.snooze': call(z.tuple([z.string()]), returns<{ until: number | undefined }>()),
  'alerts.outbox': call(
    z.tuple([objectOf<{ limit?: number; state?: OutboxState }>().optional()]),
    returns<OutboxEntry[]>(),
  ),
  'monitors.ack': call(z.tuple([Id]), returns<true>()),
  /** Every monitor as a Portwatch export file; credential headers are left out (named in `redacted`). */
  'monitors.export': call(
    z.tuple([z.enum(['json', 'yaml'])]),
    returns<{ text: string; count: number; redacted: string[] }>(),
  ),
  /**
   * A Portwatch export's text (json, yaml) or another tool's file (an Uptime Kuma backup, a Gatus
   * config, nmap -oX output, a CSV) merged into the monitors; a dry run (or any problem) saves nothing.
   */
  'monitors.import': call(
    // 'auto' tells the format from the text and the file's name (the optional fourth argument).
    z.tuple([
      z.string(),
      z.enum(['auto', 'json', 'yaml', 'kuma', 'gatus', 'nmap', 'csv']),
      z.boolean(),
      z.string().optional(),
    ]),
    returns<{
      added: string[];
      updated: string[];
      problems: string[];
      saved: boolean;
      /** Saved monitors the file already matches, what it holds that cannot come over, channels added. */
      unchanged?: string[];
      notMapped?: { item: string; why: string }[];
      channels?: string[];
    }>(),
  ),
  /**
   * Starts finding the services on one host (ports as the CLI's --ports: catalog, top, 22,80, 8000-8100);
   * poll discover.status with the answer's id. An error about a field starts "host: " or "ports: ".
   */
  'discover.start': call(z.tuple([z.string(), z.string(), DiscoverOptions.optional()]), returns<DiscoveryStatus>()),
  /** With a second argument n, only the results after the first n. */
  'discover.status': call(z.tuple([z.string(), z.number().optional()]), returns<DiscoveryStatus>()),
  'discover.cancel': call(z.tuple([z.string()]), returns<DiscoveryStatus>()),
  /** Other Portwatch instances watched as vantage points; a token is never returned, only "(sealed)". */
  'sources.list': call(z.tuple([]), returns<SourceView[]>()),
  /** Adds a source, or replaces the one with its id; a token left out or "(sealed)" keeps the saved one. */
  'sources.save': call(z.tuple([objectOf<SourceInput>()]), returns<SourceView>()),
  'sources.remove': call(z.tuple([z.string()]), returns<true>()),
  /** Every target any vantage point watches, judged together: up, down, split (with a hint) or unknown. */
  'vantage.overview': call(z.tuple([]), returns<VantageOverview>()),
  /** Only the desktop app answers these two; elsewhere they fail, saying so. */
  'app.getStartAtLogin': call(z.tuple([]), returns<boolean>()),
  'app.setStartAtLogin': call(z.tuple([z.boolean()]), returns<boolean>()),
} satisfies Record<string, Call>;

export type Channel = keyof typeof INVOKE;
/** The arguments as the renderer passes them. */
export type ArgsIn<C extends Channel> = z.input<(typeof INVOKE)[C]['args']>;
/** The arguments as a handler receives them, after checking. */
export type ArgsOut<C extends Channel> = z.output<(typeof INVOKE)[C]['args']>;
export type ResultOf<C extends Channel> = (typeof INVOKE)[C]['returns'] extends Returns<infer R> ? R : never;

/** Everything main pushes to the window, by event name. */
export interface ApiEvents {
  /** Engine events, batched: each monitor's latest result, and every other event in order. */
  events: PortwatchEvent[];
  /** A route such as '/monitor/<id>' to show: the tray or a notification opened the window there. */
  navigate: string;
}
export type EventName = keyof ApiEvents;

/** What the preload exposes as window.portwatch. */
export interface PortwatchApi {
  /** Never rejects: a failure of any kind comes back as { ok: false, error }. */
  invoke<C extends Channel>(channel: C, ...args: ArgsIn<C>): Promise<Result<ResultOf<C>>>;
  /** Returns the function that stops listening. */
  on<E extends EventName>(event: E, listener: (payload: ApiEvents[E]) => void): () => void;
}

export const CHANNELS = Object.keys(INVOKE) as Channel[];

const kindOf = (v: unknown): string => {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return `string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  return `${typeof v} ${String(v)}`;
};

const EXPECTED: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'an object',
  record: 'an object',
  array: 'a list',
  tuple: 'a list',
};

const valueAt = (root: unknown, path: readonly PropertyKey[]): unknown =>
  path.reduce<unknown>(
    (v, key) => (isObject(v) || Array.isArray(v) ? (v as Record<PropertyKey, unknown>)[key] : undefined),
    root,
  );

const plural = (n: number): string => `${n} argument${n === 1 ? '' : 's'}`;

/** One zod issue about an argument list, in words that name the argument. */
function describeIssue(issue: z.core.$ZodIssue, args: readonly unknown[]): string {
  const [index, ...rest] = issue.path;
  if (index === undefined) {
    if (issue.code === 'too_small') return `argument ${args.length + 1} is missing`;
    if (issue.code === 'too_big')
      return issue.maximum === 0
        ? `takes no arguments, got ${args.length}`
        : `takes at most ${plural(Number(issue.maximum))}, got ${args.length}`;
    return issue.message;
  }
  const where = `argument ${Number(index) + 1}${rest.length ? ` field "${rest.map(String).join('.')}"` : ''}`;
  if (issue.code === 'invalid_type') {
    const want = EXPECTED[issue.expected] ?? issue.expected;
    const got = valueAt(args, issue.path);
    return got === undefined ? `${where} is missing (must be ${want})` : `${where} must be ${want}, not ${kindOf(got)}`;
  }
  if (issue.code === 'unrecognized_keys')
    return `${where} has unknown field${issue.keys.length === 1 ? '' : 's'} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  return /^must\b/.test(issue.message) ? `${where} ${issue.message}` : `${where}: ${issue.message}`;
}

/** Checks a call's arguments against the contract; the error names the call and the argument. */
export function parseArgs<C extends Channel>(channel: C, args: readonly unknown[]): Result<ArgsOut<C>> {
  const parsed = (INVOKE[channel].args as ArgsSchema).safeParse(args);
  if (parsed.success) return ok(parsed.data as ArgsOut<C>);
  const problems = [...new Set(parsed.error.issues.map((i) => describeIssue(i, args)))];
  return fail(`${channel}: ${problems.join('; ')}`);
}
