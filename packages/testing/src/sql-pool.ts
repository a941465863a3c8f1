import pg from 'pg';

/**
 * A small pg pool for a test's own SQL (arranging and counting). An idle connection the
 * server ends (a database dropped with FORCE, a killed backend) fails the next query instead
 * of crashing the test worker with an unhandled 'error'.
 */
export function testSqlPool(url: string, max = 2): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max });
  pool.on('error', () => {});
  return pool;
}
