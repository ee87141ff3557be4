// What every importer returns, whatever tool the file came from: monitors ready for the merge
// planner, what could not be brought over and why, and problems that stop the import.

import type { ChannelConfigInput } from '../../../shared/alerts';
import type { MonitorInput } from '../../../shared/monitor';

export const IMPORT_FORMATS = ['portwatch', 'kuma', 'gatus', 'blackbox', 'nmap', 'csv'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** The largest file an import reads: far past any real export, small enough to parse in memory at once. */
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;

/** A monitor as an importer proposes it: the id is given when it is saved. */
export type ImportedMonitor = Omit<MonitorInput, 'id'> & { id?: string };

export interface NotMapped {
  /** Its place in the file, with its name: 'monitorList.4 ("Gateway ping")'. */
  item: string;
  why: string;
}

export interface ProposedChannel {
  item: string;
  /**
   * Valid for ChannelConfigSchema, secrets in clear: whoever saves it seals them (saveChannel does),
   * and nothing shows them.
   */
  channel: ChannelConfigInput;
}

export interface ImportResult {
  monitors: ImportedMonitor[];
  /** Where each monitor came from, by index, to name it when it is reported. */
  origins: string[];
  /** Items left out, and parts of imported items Portwatch cannot express. */
  notMapped: NotMapped[];
  /** What is wrong with the file, by place; when there is one, nothing is saved. */
  problems: string[];
  /** Alert channels the file's notifications map to (Uptime Kuma). */
  channels?: ProposedChannel[];
  /**
   * By index, the fields the importer chose itself rather than read from the file (a made-up
   * name, the catalog's tier): a monitor already saved keeps its own.
   */
  guessed?: string[][];
}

/** A place and, when it has one, the name a person knows it by. */
export const placeOf = (path: string, name?: unknown): string =>
  typeof name === 'string' && name.trim() ? `${path} ("${name.trim().slice(0, 80)}")` : path;

/** Gathers an importer's findings in order. */
export class Findings {
  readonly monitors: ImportedMonitor[] = [];
  readonly origins: string[] = [];
  readonly notMapped: NotMapped[] = [];
  readonly problems: string[] = [];
  readonly channels: ProposedChannel[] = [];
  readonly guessed: string[][] = [];

  add(monitor: ImportedMonitor, origin: string, guessed: string[] = []): void {
    this.monitors.push(monitor);
    this.origins.push(origin);
    this.guessed.push(guessed);
  }

  skip(item: string, why: string): void {
    this.notMapped.push({ item, why });
  }

  problem(place: string, what: string): void {
    this.problems.push(`${place}: ${what}`);
  }

  result(): ImportResult {
    return {
      monitors: this.monitors,
      origins: this.origins,
      notMapped: this.notMapped,
      problems: this.problems,
      ...(this.channels.length ? { channels: this.channels } : {}),
      ...(this.guessed.some((g) => g.length) ? { guessed: this.guessed } : {}),
    };
  }
}

/** A file that could not be read as a whole. */
export const failed = (problem: string): ImportResult => ({
  monitors: [],
  origins: [],
  notMapped: [],
  problems: [problem],
});

export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** What a value is, for a message: "a list", "the number 5". */
export function kindOf(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return `the text ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  return `the ${typeof v} ${String(v)}`;
}
