// What the databases of a benchmark run did, each subgraph with its own: the CPU of their
// PostgreSQL backends (/proc), PostgreSQL's own counters (transactions, rows, sequential scans) and
// the messages their outboxes published and their inboxes applied. Readings are taken before and
// after a measurement; the differences are the measurement's.
import { readdirSync, readFileSync } from 'node:fs';
import type pg from 'pg';
import { processCpuMs } from './cpu-time.js';

/** Runs SQL on a subgraph's database (by subgraph name). */
export type Query = <T extends pg.QueryResultRow>(subgraph: string, text: string, values?: unknown[]) => Promise<T[]>;

/**
 * CPU of the PostgreSQL backends by database, each found by its process title ("postgres: 15/main:
 * user database host(port) state") and sampled every `intervalMs`, so a backend that exits keeps
 * what it had spent at its last sample (at most one interval is lost).
 */
export class PostgresCpuByDatabase {
  private readonly backends = new Map<number, { database: string; ms: number }>();
  /** Processes that are no PostgreSQL process at all (backends are looked at until titled). */
  private readonly others = new Set<number>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly databases: readonly string[],
    intervalMs = 500,
  ) {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  /** CPU ms the backends of `database` have spent since they started (a difference of two readings is a span's). */
  totalMs(database: string): number {
    this.sample();
    let total = 0;
    for (const backend of this.backends.values()) if (backend.database === database) total += backend.ms;
    return total;
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private sample(): void {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const pid = Number(entry);
      if (this.others.has(pid)) continue;
      let backend = this.backends.get(pid);
      if (!backend) {
        const database = this.databaseOf(pid);
        if (database === undefined) continue;
        backend = { database, ms: 0 };
        this.backends.set(pid, backend);
      }
      const ms = processCpuMs(pid);
      if (ms !== undefined) backend.ms = ms;
    }
  }

  private databaseOf(pid: number): string | undefined {
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== 'postgres') {
        this.others.add(pid);
        return undefined;
      }
      const title = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      return this.databases.find((database) => title.startsWith('postgres: ') && title.includes(` ${database} `));
    } catch {
      return undefined;
    }
  }
}

/** What PostgreSQL counted for a database (pg_stat_database). */
export interface DatabaseWork {
  readonly commits: number;
  readonly rollbacks: number;
  readonly inserted: number;
  readonly updated: number;
  readonly deleted: number;
  readonly read: number;
}

/** pg_stat_database of each subgraph's database (by subgraph), read over the first one's connection. */
export async function databaseStats(
  query: Query,
  databases: ReadonlyMap<string, string>,
): Promise<Map<string, DatabaseWork>> {
  const [via] = databases.keys();
  const rows = await query<DatabaseWork & { name: string }>(
    via!,
    `SELECT datname AS name, xact_commit::float8 AS commits, xact_rollback::float8 AS rollbacks,
            tup_inserted::float8 AS inserted, tup_updated::float8 AS updated, tup_deleted::float8 AS deleted,
            (tup_returned + tup_fetched)::float8 AS read
     FROM pg_stat_database WHERE datname = ANY($1::text[])`,
    [[...databases.values()]],
  );
  const byName = new Map(rows.map(({ name, ...work }) => [name, work]));
  return new Map([...databases].map(([subgraph, name]) => [subgraph, byName.get(name)!]));
}

/** What each database did between two readings of databaseStats. */
export function workBetween(
  before: ReadonlyMap<string, DatabaseWork>,
  after: ReadonlyMap<string, DatabaseWork>,
): (DatabaseWork & { subgraph: string })[] {
  return [...after].map(([subgraph, work]) => {
    const earlier = before.get(subgraph)!;
    return {
      subgraph,
      commits: work.commits - earlier.commits,
      rollbacks: work.rollbacks - earlier.rollbacks,
      inserted: work.inserted - earlier.inserted,
      updated: work.updated - earlier.updated,
      deleted: work.deleted - earlier.deleted,
      read: work.read - earlier.read,
    };
  });
}

/** Counts by key (`<kind>\t<subgraph>\t<name>`). */
export type Counts = Map<string, number>;

/** Sequential scans (`scans\t<subgraph>\t<table>`) and the rows they read (`rows\t…`), by table. */
export async function sequentialScans(query: Query, subgraphs: readonly string[]): Promise<Counts> {
  const counts: Counts = new Map();
  for (const subgraph of subgraphs) {
    for (const row of await query<{ name: string; scans: number; rows: number }>(
      subgraph,
      'SELECT relname AS name, seq_scan::float8 AS scans, seq_tup_read::float8 AS rows FROM pg_stat_user_tables',
    )) {
      counts.set(`scans\t${subgraph}\t${row.name}`, row.scans);
      counts.set(`rows\t${subgraph}\t${row.name}`, row.rows);
    }
  }
  return counts;
}

/** Outbox rows by database and routing key, inbox rows by database and consumer. */
export async function messageCounts(query: Query, subgraphs: readonly string[]): Promise<Counts> {
  const counts: Counts = new Map();
  for (const subgraph of subgraphs) {
    for (const row of await query<{ key: string; n: number }>(
      subgraph,
      'SELECT routing_key AS key, count(*)::int AS n FROM outbox_messages GROUP BY 1',
    )) {
      counts.set(`published\t${subgraph}\t${row.key}`, row.n);
    }
    for (const row of await query<{ key: string; n: number }>(
      subgraph,
      'SELECT consumer AS key, count(*)::int AS n FROM inbox_messages GROUP BY 1',
    )) {
      counts.set(`consumed\t${subgraph}\t${row.key}`, row.n);
    }
  }
  return counts;
}

/** `after` − `before`, without the keys that did not change. */
export function diffCounts(before: Counts, after: Counts): Counts {
  const difference: Counts = new Map();
  for (const [key, n] of after) {
    const delta = n - (before.get(key) ?? 0);
    if (delta !== 0) difference.set(key, delta);
  }
  return difference;
}
