import pg from 'pg';

/** Held while a process runs a settlement run; released (or lost with the process) at its end. */
export interface RunLock {
  release(): Promise<void>;
}

/** Takes the run's lock if no other process holds it; null if one does. */
export type LockRun = (runId: string) => Promise<RunLock | null>;

/**
 * A PostgreSQL session advisory lock per run, on a connection of its own: one runner across
 * replicas, and a runner killed at any instant releases it with its connection, so another
 * replica (or the next `npm run settle`) resumes at once, with no lease to wait out.
 */
export function advisoryRunLocks(databaseUrl: string): LockRun {
  return async (runId) => {
    const client = new pg.Client({ connectionString: databaseUrl, application_name: 'radiata-settlement-lock' });
    // A dropped connection ends the lock; the runner's next step sees another runner and stops.
    client.on('error', () => {});
    await client.connect();
    try {
      const { rows } = await client.query<{ locked: boolean }>(
        "SELECT pg_try_advisory_lock(hashtext('radiata.settlement'), hashtext($1)) AS locked",
        [runId],
      );
      if (rows[0]?.locked) return { release: () => client.end() };
    } catch (error) {
      await client.end().catch(() => {});
      throw error;
    }
    await client.end();
    return null;
  };
}
