// Other Portwatch instances as vantage points: the `portwatch serve` of another machine, polled
// for its monitors, so a target can be judged from more than one place. A port that answers one
// machine and not another is a firewall or a route, not an outage; an instance that stops
// answering tells nothing about its targets.

import { z } from 'zod';
import type { MonitorStatus } from './status';

const sourceId = z
  .string({ error: 'the source id is missing' })
  .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'a source id is 1 to 40 lower-case letters, digits and dashes');

/** One other instance as saved in the settings; the token is sealed there like a channel secret. */
export const SourceSchema = z.object({
  id: sourceId,
  /** The vantage point's name, as verdicts show it: "reachable from office, not from cloud". */
  name: z
    .string({ error: 'the name is missing' })
    .trim()
    .min(1, 'the name is empty')
    .max(64, 'the name is longer than 64 characters'),
  /** Where its `portwatch serve` answers, e.g. http://10.0.0.5:7788/. */
  url: z.url({ protocol: /^https?$/, error: 'the URL must be the http:// or https:// address of a portwatch serve' }),
  token: z.string({ error: 'the token is missing' }).min(1, 'the token is empty'),
});
export type Source = z.infer<typeof SourceSchema>;

/** What sources.save takes: without an id one is made from the name; a token left out keeps the saved one. */
export interface SourceInput {
  id?: string;
  name: string;
  url: string;
  token?: string;
}

/** The settings fields of this feature, spread into SettingsSchema. */
export const VANTAGE_SETTINGS = {
  sources: z
    .array(SourceSchema)
    .max(20, 'at most 20 sources')
    .default([])
    .superRefine((list, ctx) => {
      // Verdicts name vantage points; two with one name could not be told apart.
      const ids = new Set<string>();
      const names = new Set<string>();
      list.forEach((s, i) => {
        if (ids.has(s.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `"${s.id}" is already used` });
        const name = s.name.toLowerCase();
        if (names.has(name))
          ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `"${s.name}" is already the name of a source` });
        ids.add(s.id);
        names.add(name);
      });
    }),
  /** Hold a down alert while a reachable vantage point still sees the same target up. */
  alertOnlyWhenAllVantagesAgree: z.boolean().default(true),
};

/** How a source is answering: known only after the first poll. */
export type SourceState =
  | { status: 'connecting'; since: number }
  | { status: 'ok'; since: number; checkedAt: number; monitors: number }
  /** `reason` in words a person can act on: "connection refused at 10.0.0.5:7788 (is portwatch serve running?)". */
  | { status: 'unreachable'; since: number; checkedAt: number; reason: string };

/** A source as it may be shown: the token is always "(sealed)". */
export interface SourceView {
  id: string;
  name: string;
  url: string;
  token: string;
  state: SourceState;
}

/** What one vantage point says of one target. */
export type VantageStatus = 'up' | 'down' | 'unknown';

/** The part of a monitor, wherever it runs, that says what it checks and how it fares. */
export interface WatchedTarget {
  monitorId: string;
  name: string;
  kind: 'tcp' | 'tls' | 'http' | 'service';
  host: string;
  port: number;
  url?: string;
  check?: string;
  /** Absent when the monitor has not been checked yet. */
  status?: MonitorStatus;
  since?: number;
  /** Why it fails, when it does: the diagnosis with the outcome and phase. */
  why?: string;
}

export interface VantageSeen {
  /** The vantage point's name. */
  vantage: string;
  /** The source's id; absent for this instance. */
  source?: string;
  monitorId: string;
  monitorName: string;
  status: VantageStatus;
  /** In words: "up", "down since …: …", "B has not answered since …: connection refused". */
  detail: string;
}

export type VerdictKind = 'up' | 'down' | 'split' | 'unknown';

export interface TargetVerdict {
  /** host:port/kind[/check or url]: monitors with the same key watch the same thing. */
  key: string;
  name: string;
  host: string;
  port: number;
  kind: VerdictKind;
  /** "up everywhere", "down everywhere", "reachable from A, not from B", "unknown from B (up from A)". */
  summary: string;
  reachableFrom: string[];
  notReachableFrom: string[];
  unknownFrom: string[];
  /** For a split: where to look (a firewall, a route) and what the failing side saw. */
  hint?: string;
  seen: VantageSeen[];
}

export interface VantageOverview {
  /** This instance's own vantage name. */
  here: string;
  sources: SourceView[];
  targets: TargetVerdict[];
}
