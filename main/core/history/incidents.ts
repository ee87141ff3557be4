// Incidents: one row per outage, from its first failed check to its recovery. They are few and
// kept forever, so they store plain text and epoch milliseconds rather than packed codes.

import type { Outcome, Phase } from '../../../shared/probe';
import type { Db, Statement } from './db';
import type { MonitorKeys } from './keys';

export type { Incident } from '../../../shared/api';
import type { Incident } from '../../../shared/api';

export interface NewIncident {
  monitorId: string;
  startedAt: number;
  confirmedAt: number;
  outcome: Outcome;
  phase: Phase;
  diagnosis: string;
}

export interface IncidentQuery {
  monitorId?: string;
  /** Incidents that were still going on at or after this time (epoch ms)... */
  fromMs?: number;
  /** ...and had started before this one. */
  toMs?: number;
  /** At most this many, newest first (default 1,000). */
  limit?: number;
}

const DEFAULT_LIMIT = 1000;
const COLUMNS = `i.id AS id, k.id AS monitorId, i.started_at AS startedAt, i.confirmed_at AS confirmedAt,
  i.ended_at AS endedAt, i.outcome AS outcome, i.phase AS phase, i.diagnosis AS diagnosis`;
const FROM = 'FROM incidents i JOIN monitor_keys k ON k.key = i.monitor';
const OVERLAPS = 'i.started_at < @to AND (i.ended_at IS NULL OR i.ended_at >= @from)';
const NEWEST_FIRST = 'ORDER BY i.started_at DESC, i.id DESC';

type Range = { from: number; to: number; limit: number };

export class Incidents {
  private readonly openOf: Statement<[number], number>;
  private readonly insert: Statement<[number, number, number, string, string, string]>;
  private readonly closeStmt: Statement<[number, number]>;
  private readonly listAll: Statement<[Range], Incident>;
  private readonly listOne: Statement<[Range & { monitor: number }], Incident>;
  private readonly listOpen: Statement<[], Incident>;

  constructor(
    private readonly db: Db,
    private readonly keys: MonitorKeys,
  ) {
    this.openOf = db
      .prepare<[number], number>('SELECT id FROM incidents WHERE monitor = ? AND ended_at IS NULL')
      .pluck();
    this.insert = db.prepare(
      `INSERT INTO incidents (monitor, started_at, confirmed_at, outcome, phase, diagnosis)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
    this.closeStmt = db.prepare('UPDATE incidents SET ended_at = ? WHERE monitor = ? AND ended_at IS NULL');
    this.listAll = db.prepare(`SELECT ${COLUMNS} ${FROM} WHERE ${OVERLAPS} ${NEWEST_FIRST} LIMIT @limit`);
    this.listOne = db.prepare(
      `SELECT ${COLUMNS} ${FROM} WHERE i.monitor = @monitor AND ${OVERLAPS} ${NEWEST_FIRST} LIMIT @limit`,
    );
    this.listOpen = db.prepare(`SELECT ${COLUMNS} ${FROM} WHERE i.ended_at IS NULL ${NEWEST_FIRST}`);
  }

  /**
   * Records a confirmed outage and returns its id. A monitor has at most one open incident: if
   * one is already open (an engine restarted mid-outage confirms it again), that one goes on and
   * its id is returned.
   */
  open(i: NewIncident): number {
    return this.db.transaction(() => {
      const key = this.keys.ensure(i.monitorId);
      const open = this.openOf.get(key);
      if (open !== undefined) return open;
      const r = this.insert.run(key, i.startedAt, i.confirmedAt, i.outcome, i.phase, i.diagnosis);
      return Number(r.lastInsertRowid);
    })();
  }

  /** Ends the monitor's open incident, if it has one. */
  close(monitorId: string, endedAt: number): void {
    const key = this.keys.find(monitorId);
    if (key !== undefined) this.closeStmt.run(endedAt, key);
  }

  list(q: IncidentQuery): Incident[] {
    const range: Range = {
      from: q.fromMs ?? Number.MIN_SAFE_INTEGER,
      to: q.toMs ?? Number.MAX_SAFE_INTEGER,
      limit: q.limit ?? DEFAULT_LIMIT,
    };
    if (q.monitorId === undefined) return this.listAll.all(range);
    const monitor = this.keys.find(q.monitorId);
    return monitor === undefined ? [] : this.listOne.all({ ...range, monitor });
  }

  openIncidents(): Incident[] {
    return this.listOpen.all();
  }
}
