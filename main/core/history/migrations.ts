// The history database's schema, one numbered step at a time. A step, once released, is never
// edited: a change to the schema is a new step at the end. The database records how far it got
// in `PRAGMA user_version`, so a step runs exactly once per file.

export interface Migration {
  version: number;
  /** What the step does, for whoever reads an old database. */
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'monitor keys, raw results landing and packed by the hour, failure texts, hourly rollups, incidents',
    // Sizes are the point of this layout: 10,000 monitors checked every minute write 14 million
    // rows a day. Raw rows hold only small integers (a 2-byte monitor key instead of its text
    // id, seconds not milliseconds, latency in tenths of a millisecond, and outcome, phase and
    // the slow bit packed into one byte, see codec.ts), and WITHOUT ROWID stores each row once,
    // inside its (monitor, ts) key, where a rowid table would store it again in the key's index:
    // about 19 bytes a row on disk against 37. Failure texts are rare, so they live apart rather
    // than as two empty columns on every row.
    //
    // Rows of `results` land in (monitor, ts) order, so with thousands of monitors each commit
    // inserts in a different place of the tree: pages split and stay about half empty, near 66
    // bytes a result. So `results` only holds what is not packed yet (the current hour, each
    // result committed as it arrives); every hour, rollup.ts packs the hour gone by into
    // `result_blocks`, a few bytes a result (blocks.ts), and deletes its rows, whose freed pages
    // take the next hour's rows.
    //
    // Every table hanging off a monitor cascades from `monitor_keys`, so forgetting a monitor is
    // one delete that cannot leave orphans behind.
    sql: `
      -- AUTOINCREMENT: a key is never reused, so a process still holding a forgotten monitor's
      -- key cannot file results under a monitor added later.
      CREATE TABLE monitor_keys (
        key INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE
      ) STRICT;

      CREATE TABLE results (
        monitor INTEGER NOT NULL REFERENCES monitor_keys (key) ON DELETE CASCADE,
        ts INTEGER NOT NULL,
        ms INTEGER NOT NULL,
        code INTEGER NOT NULL,
        PRIMARY KEY (monitor, ts)
      ) WITHOUT ROWID, STRICT;

      CREATE TABLE failures (
        monitor INTEGER NOT NULL REFERENCES monitor_keys (key) ON DELETE CASCADE,
        ts INTEGER NOT NULL,
        detail TEXT,
        diagnosis TEXT,
        PRIMARY KEY (monitor, ts)
      ) WITHOUT ROWID, STRICT;

      -- Hour-major, so each hour's blocks append at the right edge of the tree and fill its
      -- pages. n is how many results data holds, so counting them needs no decoding.
      CREATE TABLE result_blocks (
        hour INTEGER NOT NULL,
        monitor INTEGER NOT NULL REFERENCES monitor_keys (key) ON DELETE CASCADE,
        n INTEGER NOT NULL,
        data BLOB NOT NULL,
        PRIMARY KEY (hour, monitor)
      ) WITHOUT ROWID, STRICT;
      -- One monitor's blocks without visiting every monitor's: its charts, and the cascade that
      -- forgets it, which would otherwise read the whole table.
      CREATE INDEX result_blocks_by_monitor ON result_blocks (monitor, hour);

      CREATE TABLE rollups (
        monitor INTEGER NOT NULL REFERENCES monitor_keys (key) ON DELETE CASCADE,
        hour INTEGER NOT NULL,
        count INTEGER NOT NULL,
        up INTEGER NOT NULL,
        degraded INTEGER NOT NULL,
        down INTEGER NOT NULL,
        min_ms INTEGER,
        mean_ms INTEGER,
        p95_ms INTEGER,
        max_ms INTEGER,
        PRIMARY KEY (monitor, hour)
      ) WITHOUT ROWID, STRICT;

      CREATE TABLE incidents (
        id INTEGER PRIMARY KEY,
        monitor INTEGER NOT NULL REFERENCES monitor_keys (key) ON DELETE CASCADE,
        started_at INTEGER NOT NULL,
        confirmed_at INTEGER NOT NULL,
        ended_at INTEGER,
        outcome TEXT NOT NULL,
        phase TEXT NOT NULL,
        diagnosis TEXT NOT NULL
      ) STRICT;
      CREATE INDEX incidents_by_monitor ON incidents (monitor, started_at);
      CREATE INDEX incidents_by_start ON incidents (started_at);
      -- One outage is one incident: a monitor has at most one open at a time.
      CREATE UNIQUE INDEX incidents_open ON incidents (monitor) WHERE ended_at IS NULL;

      CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value INTEGER NOT NULL
      ) WITHOUT ROWID, STRICT;
    `,
  },
  {
    version: 2,
    name: 'alert outbox: every alert to every channel, stored before it is sent, with its delivery result',
    // One row per (alert, channel): UNIQUE makes a replayed or re-routed alert a no-op for a
    // channel that already has it, and ends escalation chains that loop back. kind is the
    // channel's kind, kept so the row still reads right after the channel is removed from the
    // config (NULL when the channel was unknown already when queued). The index serves the
    // drain's "pending and due" and the next-wake-up queries.
    sql: `
      CREATE TABLE outbox (
        id INTEGER PRIMARY KEY,
        alert_id TEXT NOT NULL,
        channel TEXT NOT NULL,
        kind TEXT,
        alert TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        next_attempt_at INTEGER NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed', 'escalated')),
        last_detail TEXT,
        sent_at INTEGER,
        UNIQUE (alert_id, channel)
      ) STRICT;
      CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
    `,
  },
  {
    version: 3,
    name: 'rollups keep the median latency of each hour',
    // Hours rolled up before this step keep NULL, and readers take the hour's mean for its
    // median (stats.ts). One small integer a row: about 3 bytes of a row's 27.
    sql: `ALTER TABLE rollups ADD COLUMN p50_ms INTEGER;`,
  },
];

/** The schema version this code writes; a database above it was written by a newer Portwatch. */
export const SCHEMA_VERSION = MIGRATIONS.reduce((v, m) => Math.max(v, m.version), 0);
