import { isIP } from 'node:net';
import type { Outcome } from '../../shared/probe';

/** Failures that say nothing about the service, only that the network did not carry us there. */
const NETWORK_LEVEL: ReadonlySet<Outcome> = new Set(['timeout', 'unreachable', 'dns']);

export const isNetworkFailure = (outcome: Outcome): boolean => NETWORK_LEVEL.has(outcome);

/** Loopback answers prove nothing about this machine's network, so they are left out. */
export function isLoopback(host: string): boolean {
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

export interface OfflineOptions {
  /** How far back results count. */
  windowMs: number;
  /** At least this many distinct remote hosts must fail at network level at once. */
  minHosts: number;
}

export const DEFAULT_OFFLINE: OfflineOptions = { windowMs: 120_000, minHosts: 3 };

/**
 * Tells "our own network is down" from "many services are down": when every remote host checked
 * lately failed at network level (and the user's canary, if set, fails too), the fault is ours.
 */
export class OfflineDetector {
  private readonly latest = new Map<string, { at: number; failed: boolean }>();
  private canaryFailed: boolean | undefined;
  private offline = false;

  constructor(private readonly options: OfflineOptions = DEFAULT_OFFLINE) {}

  get isOffline(): boolean {
    return this.offline;
  }

  /** Feeds one result; returns 'offline' or 'online' when the verdict changes. */
  observe(host: string, outcome: Outcome, at: number): 'offline' | 'online' | undefined {
    if (isLoopback(host)) return undefined;
    this.latest.set(host, { at, failed: isNetworkFailure(outcome) });
    return this.judge(at);
  }

  observeCanary(outcome: Outcome, at: number): 'offline' | 'online' | undefined {
    this.canaryFailed = isNetworkFailure(outcome);
    return this.judge(at);
  }

  private judge(now: number): 'offline' | 'online' | undefined {
    let hosts = 0;
    let failing = 0;
    for (const [host, r] of this.latest) {
      if (now - r.at > this.options.windowMs) {
        this.latest.delete(host);
        continue;
      }
      hosts++;
      if (r.failed) failing++;
    }
    const everywhere = hosts >= this.options.minHosts && failing === hosts;
    const verdict = everywhere && this.canaryFailed !== false;
    if (verdict === this.offline) return undefined;
    this.offline = verdict;
    return verdict ? 'offline' : 'online';
  }
}
