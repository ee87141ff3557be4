// The outbox's table (history migration 2), behind prepared statements. It lives in the history
// database so an alert and the monitoring results that raised it share one file and one backup.

import type { Db, Statement } from '../history/db';
import { OUTBOX_STATES, type OutboxEntry, type OutboxState } from '../../../shared/alerts';
import type { Alert, ChannelKind } from './types';

export { OUTBOX_STATES, type OutboxEntry, type OutboxState };

interface Row {
  id: number;
  alert_id: string;
  channel: string;
  kind: string | null;
  alert: string;
  created_at: number;
  next_attempt_at: number;
  attempts: number;
  state: string;
  last_detail: string | null;
  sent_at: number | null;
}

export interface NewRow {
  alert: Alert;
  channel: string;
  kind: ChannelKind | null;
  createdAt: number;
  nextAttemptAt: number;
  /** A row queued already settled (e.g. failed: no such channel). */
  state?: OutboxState;
  detail?: string | null;
}

const COLUMNS =
  'id, alert_id, channel, kind, alert, created_at, next_attempt_at, attempts, state, last_detail, sent_at';

const toEntry = (r: Row): OutboxEntry => ({
  id: r.id,
  alertId: r.alert_id,
  channel: r.channel,
  kind: r.kind as ChannelKind | null,
  alert: JSON.parse(r.alert) as Alert,
  createdAt: r.created_at,
  nextAttemptAt: r.next_attempt_at,
  attempts: r.attempts,
  state: r.state as OutboxState,
  detail: r.last_detail,
  sentAt: r.sent_at,
});

export class OutboxStore {
  private readonly insertStmt: Statement<
    [string, string, string | null, string, number, number, string, string | null]
  >;
  private readonly dueStmt: Statement<[number, number], Row>;
  private readonly nextDueStmt: Statement<[number], number | null>;
  private readonly getStmt: Statement<[number], Row>;
  private readonly sentStmt: Statement<[number, string, number, number]>;
  private readonly settleStmt: Statement<[string, number, string, number]>;
  private readonly retryStmt: Statement<[number, string, number, number]>;
  private readonly listStmt: Statement<[number], Row>;
  private readonly listStateStmt: Statement<[string, number], Row>;
  private readonly retryNowStmt: Statement<[number, number]>;
  private readonly pruneStmt: Statement<[number]>;

  constructor(private readonly db: Db) {
    this.insertStmt = db.prepare(
      `INSERT INTO outbox (alert_id, channel, kind, alert, created_at, next_attempt_at, state, last_detail)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (alert_id, channel) DO NOTHING`,
    );
    this.dueStmt = db.prepare(
      `SELECT ${COLUMNS} FROM outbox WHERE state = 'pending' AND next_attempt_at <= ?
       ORDER BY next_attempt_at, id LIMIT ?`,
    );
    this.nextDueStmt = db
      .prepare<[number], number | null>(
        `SELECT min(next_attempt_at) FROM outbox WHERE state = 'pending' AND next_attempt_at > ?`,
      )
      .pluck();
    this.getStmt = db.prepare(`SELECT ${COLUMNS} FROM outbox WHERE id = ?`);
    this.sentStmt = db.prepare(
      `UPDATE outbox SET state = 'sent', attempts = attempts + 1, sent_at = ?, last_detail = ?, next_attempt_at = ?
       WHERE id = ? AND state = 'pending'`,
    );
    this.settleStmt = db.prepare(
      `UPDATE outbox SET state = ?, attempts = attempts + 1, next_attempt_at = ?, last_detail = ?
       WHERE id = ? AND state = 'pending'`,
    );
    this.retryStmt = db.prepare(
      `UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_detail = ?
       WHERE id = ? AND state = 'pending' AND attempts = ?`,
    );
    this.listStmt = db.prepare(`SELECT ${COLUMNS} FROM outbox ORDER BY id DESC LIMIT ?`);
    this.listStateStmt = db.prepare(`SELECT ${COLUMNS} FROM outbox WHERE state = ? ORDER BY id DESC LIMIT ?`);
    this.retryNowStmt = db.prepare(
      `UPDATE outbox SET next_attempt_at = ? WHERE state = 'pending' AND next_attempt_at > ?`,
    );
    this.pruneStmt = db.prepare(`DELETE FROM outbox WHERE state <> 'pending' AND created_at < ?`);
  }

  get open(): boolean {
    return this.db.open;
  }

  /** Runs `fn` in one write transaction. */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  /** Inserts a row unless the channel has that alert already; true if it inserted. */
  insert(r: NewRow): boolean {
    const info = this.insertStmt.run(
      r.alert.id,
      r.channel,
      r.kind,
      JSON.stringify(r.alert),
      r.createdAt,
      r.nextAttemptAt,
      r.state ?? 'pending',
      r.detail ?? null,
    );
    return info.changes > 0;
  }

  /** Pending rows due by `now`, the longest-waiting first. */
  due(now: number, limit: number): OutboxEntry[] {
    return this.dueStmt.all(now, limit).map(toEntry);
  }

  /** The earliest next attempt after `now`, if any row is pending. */
  nextDue(now: number): number | undefined {
    return this.nextDueStmt.get(now) ?? undefined;
  }

  get(id: number): OutboxEntry | undefined {
    const r = this.getStmt.get(id);
    return r === undefined ? undefined : toEntry(r);
  }

  markSent(id: number, at: number, detail: string): void {
    this.sentStmt.run(at, detail, at, id);
  }

  /** Ends a pending row as 'failed' or 'escalated', counting the attempt that ended it. */
  settle(id: number, state: 'failed' | 'escalated', at: number, detail: string): void {
    this.settleStmt.run(state, at, detail, id);
  }

  /** Counts a failed attempt and sets the next; ignored if the row moved on meanwhile. */
  retryAt(id: number, attemptsBefore: number, nextAttemptAt: number, detail: string): void {
    this.retryStmt.run(nextAttemptAt, detail, id, attemptsBefore);
  }

  /** Newest first. */
  list(limit: number, state?: OutboxState): OutboxEntry[] {
    const n = Math.max(0, Math.floor(limit));
    const rows = state === undefined ? this.listStmt.all(n) : this.listStateStmt.all(state, n);
    return rows.map(toEntry);
  }

  /** Makes every pending row due at `now`; returns how many were waiting. */
  retryNow(now: number): number {
    return this.retryNowStmt.run(now, now).changes;
  }

  /** Deletes settled rows (sent, failed, escalated) queued before `beforeMs`. */
  prune(beforeMs: number): number {
    return this.pruneStmt.run(beforeMs).changes;
  }
}
