// A settlement run killed (kill -9) at its dangerous instants, inside a chunk's transaction before
// it commits and right after a chunk committed, in every phase, then resumed by a new process:
// it ends with exactly the totals of an uninterrupted run (an oracle over the source rows), every
// payment and refund taken once.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, graphRoot, type TestDatabase, testSqlPool } from '@radiata/testing';
import type pg from 'pg';

const migrations = fileURLToPath(new URL('../db/migrations', import.meta.url));
const CLI = fileURLToPath(new URL('../src/settle-cli.ts', import.meta.url));

/** Starting a process (tsx compiling it) can take seconds on two busy cores. */
const TEST_TIMEOUT_MS = 180_000;
const PAYMENTS = 2_000;
const REFUNDS = 50;
const CHUNK = 150;
const WEEK = '2026-11-16';

let database: TestDatabase;
let sql: pg.Pool;

beforeAll(async () => {
  database = await createTestDatabase('payments', migrations);
  sql = testSqlPool(database.url);
  // 20 brands; orders of one to three brands; grades BASIC, SILVER and GOLD
  await sql.query(
    `INSERT INTO catalog_brands (brand_id, owner_id, name, grade, deleted, version)
     SELECT md5('brand' || b)::uuid, md5('owner' || b)::uuid, 'brand ' || b, (ARRAY['BASIC', 'SILVER', 'GOLD'])[1 + b % 3], false, 1
     FROM generate_series(0, 19) b`,
  );
  await sql.query(
    `INSERT INTO payable_orders (order_id, user_id, amount, amounts_by_brand, status)
     SELECT md5('order' || i)::uuid, md5('user' || i % 97)::uuid, amount, parts, 'AWAITING_PAYMENT'
     FROM generate_series(1, $1::int + 30) i,
     LATERAL (SELECT CASE i % 3
         WHEN 0 THEN jsonb_build_object(md5('brand' || i % 20)::uuid, 1000 + i)
         WHEN 1 THEN jsonb_build_object(md5('brand' || i % 20)::uuid, 700 + i, md5('brand' || (i + 7) % 20)::uuid, 333)
         ELSE jsonb_build_object(md5('brand' || i % 20)::uuid, 10 + i, md5('brand' || (i + 3) % 20)::uuid, 999, md5('brand' || (i + 11) % 20)::uuid, 1)
       END AS parts) p,
     LATERAL (SELECT sum(value::int)::int AS amount FROM jsonb_each_text(p.parts)) a`,
    [PAYMENTS],
  );
  // PAYMENTS approved in the week (KST), 30 after it ends (never taken)
  await sql.query(
    `INSERT INTO payments (id, purpose, order_id, user_id, method, amount, status, approved_at)
     SELECT md5('payment' || i)::uuid, 'ORDER', o.order_id, o.user_id, 'WALLET', o.amount, 'APPROVED',
            CASE WHEN i <= $1 THEN timestamptz '2026-11-16 00:00:00+09' + (i * 293) * interval '1 second'
                 ELSE timestamptz '2026-11-23 00:00:00+09' + i * interval '1 second' END
     FROM generate_series(1, $1::int + 30) i JOIN payable_orders o ON o.order_id = md5('order' || i)::uuid`,
    [PAYMENTS],
  );
  // REFUNDS of the first orders, completed in the week, each brand giving back its whole part
  await sql.query(
    `INSERT INTO refunds (id, request_key, payment_id, amount, reason, status, completed_at, amounts_by_brand)
     SELECT md5('refund' || i)::uuid, 'refund-' || i, p.id, p.amount, 'returned', 'DONE',
            timestamptz '2026-11-20 12:00:00+09', o.amounts_by_brand
     FROM generate_series(1, $1::int) i
     JOIN payments p ON p.id = md5('payment' || i)::uuid
     JOIN payable_orders o ON o.order_id = p.order_id`,
    [REFUNDS],
  );
}, TEST_TIMEOUT_MS);

afterAll(async () => {
  await sql?.end();
  await database?.drop();
});

/** Runs `npm run settle` for the week as its own process; resolves with how it ended. */
async function settle(failpoint?: string) {
  const child = spawn(process.execPath, ['--conditions=radiata-source', '--import', 'tsx', CLI, '--period', WEEK], {
    cwd: graphRoot(),
    env: {
      ...process.env,
      DATABASE_URL: database.url,
      SETTLEMENT_CHUNK_SIZE: String(CHUNK),
      LOG_LEVEL: 'warn',
      RADIATA_FAILPOINTS: failpoint ?? '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  return { code, signal, output };
}

/** The run's state: what it has taken must match what its settlements add up, chunk for chunk. */
async function runState() {
  const { rows } = await sql.query<{
    status: string;
    phase: string;
    processed: number;
    payments: number;
    refunds: number;
    paid: number;
    gross: number;
    given: number;
    refunded: number;
  }>(
    `SELECT r.status, r.phase, r.processed,
            (SELECT count(*)::int FROM payments WHERE settlement_run_id = r.id) AS payments,
            (SELECT count(*)::int FROM refunds WHERE settlement_run_id = r.id) AS refunds,
            (SELECT coalesce(sum(amount), 0)::int FROM payments WHERE settlement_run_id = r.id) AS paid,
            (SELECT coalesce(sum(gross), 0)::int FROM settlements WHERE run_id = r.id) AS gross,
            (SELECT coalesce(sum(amount), 0)::int FROM refunds WHERE settlement_run_id = r.id) AS given,
            (SELECT coalesce(sum(refunds), 0)::int FROM settlements WHERE run_id = r.id) AS refunded
     FROM settlement_runs r`,
  );
  return rows[0];
}

/** What an uninterrupted run must give, computed straight from the source rows. */
async function oracle() {
  const { rows } = await sql.query(
    `WITH paid AS (
       SELECT part.key::uuid AS brand_id, sum(part.value::bigint)::bigint AS gross, count(*)::int AS payments
       FROM payments p JOIN payable_orders o ON o.order_id = p.order_id,
            LATERAL jsonb_each_text(o.amounts_by_brand) part
       WHERE p.approved_at < timestamptz '2026-11-23 00:00:00+09' GROUP BY 1
     ), given AS (
       SELECT part.key::uuid AS brand_id, sum(part.value::bigint)::bigint AS refunds, count(*)::int AS refund_count
       FROM refunds r, LATERAL jsonb_each_text(r.amounts_by_brand) part
       WHERE r.completed_at < timestamptz '2026-11-23 00:00:00+09' GROUP BY 1
     )
     SELECT coalesce(paid.brand_id, given.brand_id)::text AS brand_id,
            coalesce(gross, 0)::text AS gross, coalesce(refunds, 0)::text AS refunds,
            (coalesce(gross, 0) * g.fee_rate_bp / 10000)::text AS fee,
            (coalesce(gross, 0) - coalesce(refunds, 0) - coalesce(gross, 0) * g.fee_rate_bp / 10000)::text AS net,
            coalesce(payments, 0) AS payment_count, coalesce(refund_count, 0) AS refund_count
     FROM paid FULL JOIN given ON given.brand_id = paid.brand_id
     JOIN catalog_brands b ON b.brand_id = coalesce(paid.brand_id, given.brand_id)
     JOIN catalog_grades g ON g.grade = b.grade
     ORDER BY 1`,
  );
  return rows;
}

it(
  'resumes after kill -9 at every kind of instant and ends with the totals of an uninterrupted run',
  async () => {
    const expected = await oracle();
    expect(expected).toHaveLength(20);
    // 14 payment chunks (2,000 / 150), the phase change, one refund chunk, the phase change, the totals
    const kills = [
      'settlement.chunk.before-commit@2', // in the 2nd chunk's transaction: 1 chunk committed
      'settlement.after-chunk@3', // right after a commit: 4 chunks
      'settlement.chunk.before-commit@10', // in the last payment chunk's transaction: 13 chunks
      'settlement.after-chunk@3', // the last payment chunk, the phase change, the refunds' chunk
      'settlement.chunk.before-commit@2', // the phase change, then while closing the totals
    ];
    const seen: string[] = [];
    for (const failpoint of kills) {
      const killed = await settle(failpoint);
      expect({ failpoint, signal: killed.signal }).toEqual({ failpoint, signal: 'SIGKILL' });
      const state = await runState();
      expect(state?.status).toBe('RUNNING');
      // no chunk half-applied: what is marked is exactly what the sums and the checkpoint count
      expect(state?.gross).toBe(state?.paid);
      expect(state?.refunded).toBe(state?.given);
      expect(state?.processed).toBe((state?.payments ?? 0) + (state?.refunds ?? 0));
      seen.push(`${state?.phase} ${state?.processed}`);
    }
    expect(seen).toEqual([
      `PAYMENTS ${CHUNK}`,
      `PAYMENTS ${4 * CHUNK}`,
      `PAYMENTS ${13 * CHUNK}`,
      `REFUNDS ${PAYMENTS + REFUNDS}`,
      `TOTALS ${PAYMENTS + REFUNDS}`,
    ]);

    const finished = await settle();
    expect(finished.code).toBe(0);
    expect(finished.output).toContain('SUCCEEDED');
    const { rows: settlements } = await sql.query(
      `SELECT brand_id::text, gross::text, refunds::text, fee::text, net::text, payment_count, refund_count
       FROM settlements ORDER BY brand_id`,
    );
    expect(settlements).toEqual(expected);
    expect(await runState()).toMatchObject({ status: 'SUCCEEDED', processed: PAYMENTS + REFUNDS });
    const { rows: unsettled } = await sql.query(
      'SELECT count(*)::int AS n FROM payments WHERE settlement_run_id IS NULL',
    );
    expect(unsettled[0].n).toBe(30);
    const { rows: events } = await sql.query(
      "SELECT count(*)::int AS n FROM outbox_messages WHERE routing_key = 'payments.settlement.completed'",
    );
    expect(events[0].n).toBe(1);

    // and again: the week is settled, nothing changes
    const before = JSON.stringify(settlements);
    const again = await settle();
    expect(again.code).toBe(0);
    const { rows: after } = await sql.query(
      `SELECT brand_id::text, gross::text, refunds::text, fee::text, net::text, payment_count, refund_count
       FROM settlements ORDER BY brand_id`,
    );
    expect(JSON.stringify(after)).toBe(before);
  },
  TEST_TIMEOUT_MS * 2,
);
