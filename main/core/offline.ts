import { isLoopback } from './addresses';
import type { Outcome } from '../../shared/probe';

/** Failures that say nothing about the service, only that the network did not carry us there. */
const NETWORK_LEVEL: ReadonlySet<Outcome> = new Set(['timeout', 'unreachable', 'dns']);

export const isNetworkFailure = (outcome: Outcome): boolean => NETWORK_LEVEL.has(outcome);

export interface OfflineOptions {
  /** How far back results count. */
  windowMs: number;
  /** At least this many distinct remote hosts must fail at network level at once. */
  minHosts: number;
}

export const DEFAULT_OFFLINE: OfflineOptions = { windowMs: 120_000, minHosts: 3 };

export type NetworkVerdict =
  | { kind: 'offline' }
  | { kind: 'online' }
  /** Looks like ours, but these hosts have not been checked lately: check them now to be sure. */
  | { kind: 'suspect'; unchecked: string[] };

/**
 * Tells "our own network is down" from "many services are down": when every remote host
 * failed at network level lately (and the user's canary, if set, fails too), the fault is ours.
 * A recent answer from any remote host, even a refusal, proves the network works.
 */
export class OfflineDetector {
  private readonly latest = new Map<string, { at: number; failed: boolean }>();
  private hosts = new Set<string>();
  private canaryFailed: boolean | undefined;
  private offline = false;
  /** The OS says there is no network at all (no interface up): no result can prove otherwise. */
  private osOffline = false;

  constructor(private readonly options: OfflineOptions = DEFAULT_OFFLINE) {}

  get isOffline(): boolean {
    return this.offline;
  }

  /** The remote hosts being watched: the verdict needs news from all of them. */
  setHosts(hosts: Iterable<string>): void {
    this.hosts = new Set([...hosts].filter((h) => !isLoopback(h)));
    for (const h of this.latest.keys()) if (!this.hosts.has(h)) this.latest.delete(h);
  }

  /** Feeds one result; returns a verdict when it changes, or a request to check more hosts. */
  observe(host: string, outcome: Outcome, at: number): NetworkVerdict | undefined {
    if (isLoopback(host)) return undefined;
    this.hosts.add(host);
    this.latest.set(host, { at, failed: isNetworkFailure(outcome) });
    return this.judge(at);
  }

  observeCanary(outcome: Outcome, at: number): NetworkVerdict | undefined {
    this.canaryFailed = isNetworkFailure(outcome);
    return this.judge(at);
  }

  /**
   * The OS's own view (the desktop app's online/offline signal). Offline is believed at once;
   * online ends only the OS's verdict: the next results judge as usual.
   */
  setOsOnline(online: boolean): NetworkVerdict | undefined {
    this.osOffline = !online;
    if (this.offline === !online) return undefined;
    this.offline = !online;
    return { kind: online ? 'online' : 'offline' };
  }

  private judge(now: number): NetworkVerdict | undefined {
    let failing = 0;
    let answered = false;
    const unchecked: string[] = [];
    for (const host of this.hosts) {
      const r = this.latest.get(host);
      if (!r || now - r.at > this.options.windowMs) unchecked.push(host);
      else if (r.failed) failing++;
      else answered = true;
    }
    const looksOurs = !answered && failing >= this.options.minHosts && this.canaryFailed !== false;
    if (looksOurs && unchecked.length > 0 && !this.offline) return { kind: 'suspect', unchecked };
    const verdict = looksOurs || this.osOffline;
    if (verdict === this.offline) return undefined;
    this.offline = verdict;
    return { kind: verdict ? 'offline' : 'online' };
  }
}
