// `npm run bench:settlement [-- --payments 1000000 --brands 1000 --chunk N --keep]`
//
// The weekly seller settlement (`npm run settle`, subgraphs/payments/src/settle-cli.ts) over a
// week of --payments approved order payments spread over --brands brands, on a database of its
// own: its wall time, rows/s and the peak RSS of the process doing it; then the same week killed
// (SIGKILL) once its progress passes 50 % and resumed by running the command again, which must
// end with exactly the settlements of the uninterrupted run.
//
// 1. A fresh database (radiata_payments_bench_template) migrated with the payments migrations by
//    dbmate, as `npm run db:migrate` does, is filled in SQL (generate_series, one INSERT … SELECT
//    per table): the orders and their APPROVED payments (1–3 brands each, amounts_by_brand summing
//    to the amount), approved over the week of Monday 2026-11-23 00:00 Asia/Seoul; ~2 % of them
//    refunded (full or partial, refunds DONE with their split by brand), most in the week, some
//    after its end; and what the week must not take: payments approved after its end, refunds
//    completed after it, FAILED order payments, top-ups. The catalog's grades (BASIC 350, SILVER
//    300, GOLD 250 bp) and its brands (mixed grades; every 50th brand unknown to payments, which
//    settles it at the default grade). VACUUM ANALYZE.
// 2. Two copies (CREATE DATABASE … TEMPLATE), so both runs start from the same rows.
// 3. Run A: `node --import tsx --conditions=radiata-source settle-cli.ts --period 2026-11-23` on
//    copy A, to its end. The node process spawned is the one doing the work: its peak RSS is its
//    VmHWM (/proc/<pid>/status), read every 50 ms and at each line it prints. Its progress lines
//    are shown (at most one a second).
// 4. Run B: the same on copy B, SIGKILLed once a progress line says ≥ 50 %, then run again.
// 5. Checks, on both copies: the run SUCCEEDED and counted what it took; every order payment
//    approved before the week's end and every refund completed before it is marked with the run,
//    nothing else is; the settlements equal an oracle in plain SQL over the source rows (each
//    brand's parts of those payments and refunds, the fee at its grade's rate, rounded down); the
//    checksums of A and B are equal. The process exits 1 if any of it fails (a missed goal is
//    reported, not an error).
// The databases are dropped at the end, on error and on Ctrl-C, unless --keep.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import os from 'node:os';
import { createInterface } from 'node:readline';
import { parseArgs, promisify } from 'node:util';
import pg from 'pg';
import { loadLocalEnv } from '../lib/env-file.js';
import { color, errorMessage, redactUrl } from '../lib/log.js';
import { withSslmode } from '../lib/migrate.js';
import { bin, repoRoot } from '../lib/paths.js';
import { postgresAdminUrl } from '../lib/subgraphs.js';
import { startBenchRun } from './bench-run.js';
import { memoryOf } from './cpu-time.js';
import { flagReader } from './flags.js';

/** The week settled: Monday 2026-11-23 00:00 to Monday 2026-11-30 00:00, Asia/Seoul (UTC+9). */
const PERIOD = '2026-11-23';
const TIME_ZONE = 'Asia/Seoul';
const PERIOD_START = '2026-11-22T15:00:00.000Z';
const PERIOD_END = '2026-11-29T15:00:00.000Z';
const WEEK_MS = 7 * 86_400_000;
const TEMPLATE = 'radiata_payments_bench_template';
const COPIES = { A: 'radiata_payments_bench_a', B: 'radiata_payments_bench_b' } as const;
const GRADES = [
  ['BASIC', 'Basic', 350],
  ['SILVER', 'Silver', 300],
  ['GOLD', 'Gold', 250],
] as const;
const GOAL_SECONDS = 60;
const GOAL_RSS_MIB = 256;
/** Run B is killed once its progress reaches this share. */
const KILL_AT = 0.5;
const RSS_POLL_MS = 50;
const PROGRESS_EVERY_MS = 1_000;
/** The command's progress line: `progress PAYMENTS 5000/1020000 (0.5 %) 1.2 s`. */
const PROGRESS = /^progress (\w+) (\d+)\/(\d+|\?)/;

const usage = `usage: npm run bench:settlement -- [--payments N] [--brands N] [--chunk N] [--keep]
  --payments  order payments approved in the settled week (default 1000000)
  --brands    brands they are spread over, 1–3 per order (default 1000)
  --chunk     SETTLEMENT_CHUNK_SIZE of the runs (default: the payments config's default)
  --keep      leave the databases (${TEMPLATE}, ${COPIES.A}, ${COPIES.B}) for a look afterwards`;

const { values: flags } = parseArgs({
  options: {
    payments: { type: 'string', default: '1000000' },
    brands: { type: 'string', default: '1000' },
    chunk: { type: 'string' },
    keep: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (flags.help) {
  console.log(usage);
  process.exit(0);
}
const { wholeNumber } = flagReader(usage);
const paymentCount = wholeNumber('payments', flags.payments, 100, 10_000_000);
const brandCount = wholeNumber('brands', flags.brands, 3, 1_000_000);
const chunkSize = flags.chunk === undefined ? undefined : wholeNumber('chunk', flags.chunk, 1, 1_000_000);
/** Rows of each kind the week must not take: payments approved after its end, FAILED ones, top-ups. */
const extraCount = Math.min(500, Math.max(10, Math.floor(paymentCount / 2_000)));

loadLocalEnv({ generate: false }); // POSTGRES_URL if .env sets it

const step = (text: string) => console.error(color.dim(text));
const seconds = (ms: number) => (ms / 1000).toFixed(1);
const mib = (kb: number) => kb / 1024;
const adminUrl = postgresAdminUrl();
const urlOf = (database: string): string => {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return withSslmode(url.toString());
};

/** What one process of `npm run settle` did. */
interface SettleProcess {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** From the spawn to its exit: node's start, tsx, the run. */
  readonly wallMs: number;
  /** VmHWM of the node process, kB (its last reading before it exited). */
  readonly peakRssKb: number;
  /** The last progress line it printed. */
  readonly progress: { phase: string; processed: number; total: number } | null;
  readonly killed: boolean;
  /** The machine's 1-minute load average when it started and when it exited. */
  readonly load: readonly [number, number];
  readonly output: readonly string[];
}

interface RunRow {
  id: string;
  status: string;
  phase: string;
  total: number | null;
  processed: number;
  failures: number;
  period_start: Date;
  period_end: Date;
}

interface Checked {
  readonly run: RunRow;
  readonly checksum: string;
  readonly oracleChecksum: string;
  /** Every brand's settlement equals the oracle's. */
  readonly oracleMatch: boolean;
  readonly brands: number;
  readonly totals: { gross: string; refunds: string; fee: string; net: string };
  readonly taken: { payments: number; refunds: number };
  readonly problems: string[];
}

let child: ChildProcess | null = null;
const bench = startBenchRun({ onInterrupt: () => killTree(child) });

try {
  await main();
  await bench.cleanup();
} catch (error) {
  if (!bench.interrupted) {
    killTree(child);
    console.error(color.red(`bench: ${errorMessage(error)}`));
    await bench.cleanup();
    process.exit(1);
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const loadBefore = os.loadavg();

  step(`creating ${TEMPLATE} (dbmate, the payments migrations)…`);
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  bench.release('close the admin connection', () => admin.end());
  const databases = [TEMPLATE, COPIES.A, COPIES.B];
  for (const database of databases) await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  if (!flags.keep) {
    bench.release('drop the bench databases', async () => {
      for (const database of databases) await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    });
  }
  await promisify(execFile)(
    bin('dbmate'),
    ['--url', urlOf(TEMPLATE), '--migrations-dir', 'subgraphs/payments/db/migrations', '--no-dump-schema', 'up'],
    { cwd: repoRoot },
  );

  step(
    `generating ${paymentCount} order payments over ${brandCount} brands in the week of ${PERIOD}, ~2 % refunded, ` +
      `and ${extraCount} of each kind the week must not take…`,
  );
  const generateStarted = performance.now();
  const source = await generate(urlOf(TEMPLATE));
  const generateMs = performance.now() - generateStarted;
  step(
    `  ${seconds(generateMs)} s: ${source.payments} payments and ${source.refunds} refunds in the week ` +
      `(${source.lateRefunds} refunds and ${source.latePayments} payments after its end), ${source.size}`,
  );

  step(`copying it to ${COPIES.A} and ${COPIES.B} (CREATE DATABASE … TEMPLATE)…`);
  const copyStarted = performance.now();
  for (const copy of [COPIES.A, COPIES.B]) {
    await admin.query(`CREATE DATABASE "${copy}" TEMPLATE "${TEMPLATE}" STRATEGY FILE_COPY`);
  }
  step(`  ${seconds(performance.now() - copyStarted)} s`);

  await admin.query('CHECKPOINT');
  step(`run A: npm run settle -- --period ${PERIOD} on ${COPIES.A}, uninterrupted…`);
  const runA = await settle('A', urlOf(COPIES.A));
  if (runA.code !== 0) throw new Error(`run A exited with ${runA.signal ?? `code ${runA.code}`}`);

  await admin.query('CHECKPOINT');
  step(`run B: the same on ${COPIES.B}, SIGKILLed at ≥ ${KILL_AT * 100} % of its progress, then run again…`);
  const killedB = await settle('B', urlOf(COPIES.B), KILL_AT);
  if (!killedB.killed) {
    throw new Error(
      `run B ended (${killedB.signal ?? `code ${killedB.code}`}) before its progress reached ${KILL_AT * 100} %`,
    );
  }
  const atKill = await runRowOf(urlOf(COPIES.B));
  step(
    `  killed at ${killedB.progress?.processed}/${killedB.progress?.total} (printed); ` +
      `${atKill?.processed} committed, phase ${atKill?.phase}; running it again…`,
  );
  let resumedB = await settle('B', urlOf(COPIES.B));
  // Exit 2: the killed process's session still held the run's lock (its backend had not noticed yet).
  for (let attempt = 0; resumedB.code === 2 && attempt < 10; attempt += 1) {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    resumedB = await settle('B', urlOf(COPIES.B));
  }
  if (resumedB.code !== 0) throw new Error(`resumed run B exited with ${resumedB.signal ?? `code ${resumedB.code}`}`);

  step('checking both copies: marks, counts, the oracle in plain SQL…');
  const [checkedA, checkedB] = await Promise.all([check(urlOf(COPIES.A)), check(urlOf(COPIES.B))]);
  const problems = [
    ...checkedA.problems.map((problem) => `A: ${problem}`),
    ...checkedB.problems.map((problem) => `B: ${problem}`),
  ];
  if (checkedA.checksum !== checkedB.checksum)
    problems.push(`checksums differ: A ${checkedA.checksum}, B ${checkedB.checksum}`);

  report({ started, loadBefore, generateMs, source, runA, killedB, atKill, resumedB, checkedA, checkedB, problems });
  if (problems.length > 0) process.exitCode = 1;
}

interface Source {
  payments: number;
  refunds: number;
  latePayments: number;
  lateRefunds: number;
  size: string;
}

/** Fills the template database; what it holds. */
async function generate(url: string): Promise<Source> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    // Deterministic amounts, brands and times (not the random ids): the same figures on each invocation.
    await db.query('SET synchronous_commit = off');
    await db.query("SET work_mem = '256MB'");
    await db.query('SELECT setseed(0.2026)');
    // A UUIDv7 of `at` (ms) with random bits, like the ids the service gives rows made at that time.
    const uuidAt = (at: string) =>
      `encode(set_bit(set_bit(overlay(uuid_send(gen_random_uuid()) PLACING substring(int8send((floor(extract(epoch FROM ${at}) * 1000))::bigint) FROM 3) FROM 1 FOR 6), 52, 1), 53, 1), 'hex')::uuid`;
    const start = `timestamptz '${PERIOD_START}'`;
    const end = `timestamptz '${PERIOD_END}'`;
    const brand = (index: string) => `(md5('bench-brand-' || ${index})::uuid)::text`;
    const half = Math.floor((brandCount - 1) / 2);

    // The migration may seed them already (as the catalog's seeded grades): these rates either way.
    await db.query(
      `INSERT INTO catalog_grades (grade, name, fee_rate_bp, version) VALUES ${GRADES.map(
        ([grade, name, bp]) => `('${grade}', '${name}', ${bp}, 1)`,
      ).join(', ')}
       ON CONFLICT (grade) DO UPDATE SET name = excluded.name, fee_rate_bp = excluded.fee_rate_bp, version = excluded.version`,
    );
    await db.query(`
      INSERT INTO catalog_brands (brand_id, owner_id, name, grade, deleted, version)
      SELECT md5('bench-brand-' || n)::uuid, md5('bench-seller-' || n / 3)::uuid, 'Bench brand ' || n,
             (ARRAY['BASIC', 'SILVER', 'GOLD'])[1 + n % 3], false, 1
      FROM generate_series(0, ${brandCount - 1}) AS n
      WHERE n % 50 <> 49`);

    // One row per order payment: i ≤ payments in the week, the rest approved in the two days after
    // it. Brands: the first skewed towards the low numbers (big brands), the others distinct from it
    // and each other (offsets from it in two disjoint ranges). Every 50th payment in the week is
    // refunded, every other one of those partially (each brand's part rounded down, the first brand
    // taking the rest), every 25th of those completed after the week's end.
    await db.query(`
      CREATE TEMP TABLE gen AS
      WITH drawn AS (
        SELECT i, i > ${paymentCount} AS late,
               CASE WHEN i > ${paymentCount} THEN ${WEEK_MS} + floor(random() * 172800000)
                    ELSE floor(random() * ${WEEK_MS}) END::bigint AS ms,
               1 + floor(random() * 3)::int AS k,
               floor(random() ^ 2 * ${brandCount})::int AS b1, random() AS r2, random() AS r3,
               (5 + floor(random() ^ 3 * 20000))::int * 100 AS a1,
               (10 + floor(random() * 1990))::int * 100 AS a2,
               (10 + floor(random() * 1990))::int * 100 AS a3,
               random() < 0.3 AS card, random() AS share, random() AS delay
        FROM generate_series(1, ${paymentCount + extraCount}) AS i
        OFFSET 0
      ), timed AS (
        SELECT d.*, ${start} + d.ms * interval '1 millisecond' AS approved_at,
               (d.b1 + 1 + floor(d.r2 * ${half})::int) % ${brandCount} AS b2,
               (d.b1 + 1 + ${half} + floor(d.r3 * ${brandCount - 1 - half})::int) % ${brandCount} AS b3,
               d.a1 + CASE WHEN d.k >= 2 THEN d.a2 ELSE 0 END + CASE WHEN d.k = 3 THEN d.a3 ELSE 0 END AS amount,
               NOT d.late AND d.i % 50 = 0 AS refunded,
               (d.i / 50) % 2 = 0 AS full_refund,
               (d.i / 50) % 25 = 1 AS refund_late
        FROM drawn d
      ), refund AS (
        SELECT t.*,
               CASE WHEN NOT t.refunded THEN NULL WHEN t.full_refund THEN t.amount
                    ELSE greatest(1, floor(t.amount * (0.1 + 0.8 * t.share)))::int END AS refund_amount,
               CASE WHEN NOT t.refunded THEN NULL
                    WHEN t.refund_late THEN ${end} + floor(t.delay * 86400000) * interval '1 millisecond'
                    ELSE t.approved_at + floor(t.delay * (${WEEK_MS} - t.ms)) * interval '1 millisecond' END AS completed_at
        FROM timed t
      ), split AS (
        SELECT r.*,
               CASE WHEN r.k >= 2 THEN r.refund_amount::bigint * r.a2 / r.amount ELSE 0 END AS rp2,
               CASE WHEN r.k = 3 THEN r.refund_amount::bigint * r.a3 / r.amount ELSE 0 END AS rp3
        FROM refund r
      )
      SELECT i, late, k, amount, card, approved_at, refunded, refund_amount, completed_at,
             gen_random_uuid() AS order_id, md5('bench-user-' || i % 50000)::uuid AS user_id,
             ${uuidAt('approved_at')} AS payment_id,
             CASE WHEN refunded THEN ${uuidAt('completed_at')} END AS refund_id,
             CASE k WHEN 1 THEN jsonb_build_object(${brand('b1')}, a1)
                    WHEN 2 THEN jsonb_build_object(${brand('b1')}, a1, ${brand('b2')}, a2)
                    ELSE jsonb_build_object(${brand('b1')}, a1, ${brand('b2')}, a2, ${brand('b3')}, a3) END AS amounts,
             CASE WHEN NOT refunded THEN NULL
                  WHEN k = 1 THEN jsonb_build_object(${brand('b1')}, refund_amount)
                  WHEN k = 2 THEN jsonb_build_object(${brand('b1')}, refund_amount - rp2, ${brand('b2')}, rp2)
                  ELSE jsonb_build_object(${brand('b1')}, refund_amount - rp2 - rp3, ${brand('b2')}, rp2, ${brand('b3')}, rp3)
             END AS refund_amounts
      FROM split`);

    // In time order, as the service writes them: the heap follows the (time-ordered) ids.
    await db.query(`
      INSERT INTO payable_orders (order_id, user_id, amount, amounts_by_brand, status, created_at, updated_at)
      SELECT order_id, user_id, amount, amounts, 'AWAITING_PAYMENT', approved_at - interval '2 minutes', approved_at - interval '2 minutes'
      FROM gen ORDER BY approved_at`);
    await db.query(`
      INSERT INTO payments (id, purpose, order_id, user_id, method, amount, refunded_amount, status,
                            provider_order_id, payment_key, approved_at, created_at, updated_at)
      SELECT payment_id, 'ORDER', order_id, user_id, CASE WHEN card THEN 'CARD' ELSE 'WALLET' END::payment_method,
             amount, coalesce(refund_amount, 0),
             CASE WHEN NOT refunded THEN 'APPROVED' WHEN refund_amount = amount THEN 'REFUNDED'
                  ELSE 'PARTIALLY_REFUNDED' END::payment_status,
             CASE WHEN card THEN 'bench-order-' || i END, CASE WHEN card THEN 'bench_pk_' || i END,
             approved_at, approved_at - interval '1 minute', coalesce(completed_at, approved_at)
      FROM gen ORDER BY approved_at`);
    await db.query(`
      INSERT INTO refunds (id, request_key, payment_id, amount, reason, status, completed_at, amounts_by_brand, created_at, updated_at)
      SELECT refund_id, 'bench-refund-' || i, payment_id, refund_amount, 'bench', 'DONE', completed_at, refund_amounts,
             completed_at - interval '3 seconds', completed_at
      FROM gen WHERE refunded ORDER BY completed_at`);
    // Top-ups approved in the week and FAILED order payments (never approved): not the week's.
    await db.query(`
      INSERT INTO payments (id, purpose, user_id, method, amount, status, provider_order_id, payment_key, approved_at, created_at, updated_at)
      SELECT ${uuidAt('at')}, 'TOP_UP', md5('bench-user-' || n)::uuid, 'CARD', 50000, 'APPROVED',
             'bench-topup-' || n, 'bench_topup_pk_' || n, at, at, at
      FROM (SELECT n, ${start} + floor(random() * ${WEEK_MS}) * interval '1 millisecond' AS at
            FROM generate_series(1, ${extraCount}) AS n OFFSET 0) AS s`);
    await db.query(`
      WITH orders AS (
        INSERT INTO payable_orders (order_id, user_id, amount, amounts_by_brand, status, created_at, updated_at)
        SELECT gen_random_uuid(), md5('bench-user-' || n)::uuid, 12900, jsonb_build_object(${brand('n % 7')}, 12900),
               'AWAITING_PAYMENT', at, at
        FROM (SELECT n, ${start} + floor(random() * ${WEEK_MS}) * interval '1 millisecond' AS at
              FROM generate_series(1, ${extraCount}) AS n OFFSET 0) AS s
        RETURNING order_id, user_id, amount, created_at
      )
      INSERT INTO payments (id, purpose, order_id, user_id, method, amount, status, failure_code, created_at, updated_at)
      SELECT ${uuidAt('created_at')}, 'ORDER', order_id, user_id, 'WALLET', amount, 'FAILED', 'INSUFFICIENT_BALANCE',
             created_at, created_at
      FROM orders`);
    await db.query('DROP TABLE gen');
    await db.query('VACUUM (ANALYZE)');

    const { rows } = await db.query<Source>(`
      SELECT (SELECT count(*) FROM payments WHERE purpose = 'ORDER' AND approved_at < ${end})::int AS payments,
             (SELECT count(*) FROM payments WHERE purpose = 'ORDER' AND approved_at >= ${end})::int AS "latePayments",
             (SELECT count(*) FROM refunds WHERE status = 'DONE' AND completed_at < ${end})::int AS refunds,
             (SELECT count(*) FROM refunds WHERE status = 'DONE' AND completed_at >= ${end})::int AS "lateRefunds",
             pg_size_pretty(pg_database_size(current_database())) AS size`);
    return rows[0]!;
  } finally {
    await db.end();
  }
}

/** The process group of the settle command, killed (it leads its own group). */
function killTree(target: ChildProcess | null): void {
  if (!target?.pid || target.exitCode !== null || target.signalCode !== null) return;
  try {
    process.kill(-target.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/**
 * Runs `npm run settle -- --period PERIOD` on `url` as node itself (tsx as its loader, so the pid
 * is the process that settles); with `killAt`, SIGKILLs it once a progress line reaches that share.
 */
function settle(label: string, url: string, killAt?: number): Promise<SettleProcess> {
  const args = [
    '--import',
    'tsx',
    '--conditions=radiata-source',
    'subgraphs/payments/src/settle-cli.ts',
    '--period',
    PERIOD,
  ];
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    DATABASE_URL: url,
    SETTLEMENT_TIME_ZONE: TIME_ZONE,
    ...(chunkSize === undefined ? {} : { SETTLEMENT_CHUNK_SIZE: String(chunkSize) }),
  };
  const prefix = color.cyan(`settle ${label}`);
  const output: string[] = [];
  let peakRssKb = 0;
  let progress: SettleProcess['progress'] = null;
  let killed = false;
  let shownAt = 0;
  let shownPhase = '';
  const spawned = performance.now();
  const loadAtStart = os.loadavg()[0] ?? 0;
  const running = spawn(process.execPath, args, {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child = running;
  const pid = running.pid ?? -1;
  const sample = () => {
    const memory = memoryOf(pid);
    if (memory) peakRssKb = Math.max(peakRssKb, memory.hwm);
  };
  const sampler = setInterval(sample, RSS_POLL_MS);
  const onLine = (line: string) => {
    sample();
    output.push(line);
    const match = PROGRESS.exec(line);
    if (!match) {
      process.stderr.write(`${prefix} │ ${line}\n`);
      return;
    }
    const [, phase = '', processed = '0', total = '?'] = match;
    progress = { phase, processed: Number(processed), total: Number(total) };
    const now = performance.now();
    if (phase !== shownPhase || now - shownAt >= PROGRESS_EVERY_MS) {
      process.stderr.write(`${prefix} │ ${line}\n`);
      shownAt = now;
      shownPhase = phase;
    }
    if (killAt !== undefined && !killed && progress.total > 0 && progress.processed >= killAt * progress.total) {
      killed = true;
      process.stderr.write(`${prefix} │ ${color.yellow(`SIGKILL at ${line}`)}\n`);
      killTree(running);
    }
  };
  for (const stream of [running.stdout, running.stderr]) {
    createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY }).on('line', onLine);
  }
  return new Promise((resolve) => {
    let wallMs = 0;
    running.once('exit', () => {
      wallMs = performance.now() - spawned;
      clearInterval(sampler);
    });
    running.once('error', (error) => {
      output.push(`failed to start: ${error.message}`);
    });
    // 'close': its last lines have been read.
    running.once('close', (code, signal) => {
      clearInterval(sampler);
      killTree(running);
      if (child === running) child = null;
      resolve({
        code,
        signal,
        wallMs: wallMs || performance.now() - spawned,
        peakRssKb,
        progress,
        killed,
        load: [loadAtStart, os.loadavg()[0] ?? 0],
        output,
      });
    });
  });
}

/** The copy's settlement run (the only one), or null. */
async function runRowOf(url: string): Promise<RunRow | null> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    const { rows } = await db.query<RunRow>(`
      SELECT id, status, phase, total, processed, failures, period_start, period_end FROM settlement_runs`);
    if (rows.length > 1) throw new Error(`${rows.length} settlement runs in ${redactUrl(url)}`);
    return rows[0] ?? null;
  } finally {
    await db.end();
  }
}

/** Checks a copy after its run: the run, the marks, and its settlements against the oracle. */
async function check(url: string): Promise<Checked> {
  const run = await runRowOf(url);
  if (!run) throw new Error(`no settlement run in ${redactUrl(url)}`);
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    const problems: string[] = [];
    if (run.status !== 'SUCCEEDED' || run.phase !== 'DONE') problems.push(`run ${run.status}, phase ${run.phase}`);
    if (run.period_start.toISOString() !== PERIOD_START || run.period_end.toISOString() !== PERIOD_END) {
      problems.push(`the run settled ${run.period_start.toISOString()} – ${run.period_end.toISOString()}`);
    }
    const end = `timestamptz '${PERIOD_END}'`;
    const runId = `'${run.id}'::uuid`;
    const one = async <T extends pg.QueryResultRow>(sql: string): Promise<T> => (await db.query<T>(sql)).rows[0]!;

    // Every payment and refund of the week marked with the run, nothing else.
    const marks = await one<{ payments: number; refunds: number; missed: number; extra: number }>(`
      SELECT p.taken AS payments, r.taken AS refunds, p.missed + r.missed AS missed, p.extra + r.extra AS extra
      FROM (SELECT count(*) FILTER (WHERE due AND settlement_run_id = ${runId})::int AS taken,
                   count(*) FILTER (WHERE due AND settlement_run_id IS DISTINCT FROM ${runId})::int AS missed,
                   count(*) FILTER (WHERE NOT due AND settlement_run_id IS NOT NULL)::int AS extra
            FROM (SELECT settlement_run_id, coalesce(purpose = 'ORDER' AND approved_at < ${end}, false) AS due FROM payments) AS x) AS p,
           (SELECT count(*) FILTER (WHERE due AND settlement_run_id = ${runId})::int AS taken,
                   count(*) FILTER (WHERE due AND settlement_run_id IS DISTINCT FROM ${runId})::int AS missed,
                   count(*) FILTER (WHERE NOT due AND settlement_run_id IS NOT NULL)::int AS extra
            FROM (SELECT settlement_run_id,
                         coalesce(status = 'DONE' AND amounts_by_brand IS NOT NULL AND completed_at < ${end}, false) AS due
                  FROM refunds) AS y) AS r`);
    if (marks.missed > 0) problems.push(`${marks.missed} payments or refunds of the week not marked with the run`);
    if (marks.extra > 0) problems.push(`${marks.extra} payments or refunds not of the week marked`);
    const taken = marks.payments + marks.refunds;
    if (run.processed !== taken || run.total !== taken) {
      problems.push(`the run counted ${run.processed} processed of ${run.total}, it marked ${taken}`);
    }
    if (run.failures !== 0) problems.push(`${run.failures} failures recorded`);

    // The same row text for the run's settlements and the oracle's.
    const line = `brand_id || ':' || gross || ':' || refunds || ':' || fee || ':' || net || ':' || payment_count || ':' || refund_count`;
    const checksumOf = (rows: string) =>
      `SELECT md5(coalesce(string_agg(${line}, ',' ORDER BY brand_id), '')) AS md5 FROM ${rows}`;
    const settled = `(SELECT * FROM settlements WHERE run_id = ${runId}) AS s`;
    // Each brand's parts of the week's payments and refunds, from the source rows alone.
    const oracle = `(
      WITH parts AS (
        SELECT part.key::uuid AS brand_id, part.value::bigint AS won, true AS paid
        FROM payments p JOIN payable_orders o ON o.order_id = p.order_id, jsonb_each_text(o.amounts_by_brand) AS part
        WHERE p.purpose = 'ORDER' AND p.approved_at < ${end}
        UNION ALL
        SELECT part.key::uuid, part.value::bigint, false
        FROM refunds r, jsonb_each_text(r.amounts_by_brand) AS part
        WHERE r.status = 'DONE' AND r.completed_at < ${end}
      ), sums AS (
        SELECT brand_id, coalesce(sum(won) FILTER (WHERE paid), 0)::bigint AS gross,
               coalesce(sum(won) FILTER (WHERE NOT paid), 0)::bigint AS refunds,
               count(*) FILTER (WHERE paid) AS payment_count, count(*) FILTER (WHERE NOT paid) AS refund_count
        FROM parts GROUP BY brand_id
      ), rated AS (
        SELECT sums.*, coalesce(b.grade, 'BASIC') AS grade,
               coalesce(g.fee_rate_bp, (SELECT fee_rate_bp FROM catalog_grades WHERE grade = 'BASIC')) AS fee_rate_bp
        FROM sums LEFT JOIN catalog_brands b ON b.brand_id = sums.brand_id LEFT JOIN catalog_grades g ON g.grade = b.grade
      )
      SELECT brand_id, gross, refunds, gross * fee_rate_bp / 10000 AS fee, gross - refunds - gross * fee_rate_bp / 10000 AS net,
             payment_count, refund_count, grade, fee_rate_bp
      FROM rated) AS o`;
    const checksum = (await one<{ md5: string }>(checksumOf(settled))).md5;
    const oracleChecksum = (await one<{ md5: string }>(checksumOf(oracle))).md5;
    const differing = await db.query<Record<string, unknown>>(`
      SELECT o.brand_id AS oracle_brand, s.brand_id AS run_brand, o.gross AS oracle_gross, s.gross AS run_gross,
             o.refunds AS oracle_refunds, s.refunds AS run_refunds, o.fee AS oracle_fee, s.fee AS run_fee,
             o.payment_count AS oracle_payments, s.payment_count AS run_payments,
             o.refund_count AS oracle_refund_count, s.refund_count AS run_refund_count,
             o.grade AS oracle_grade, s.grade AS run_grade, o.fee_rate_bp AS oracle_bp, s.fee_rate_bp AS run_bp
      FROM ${oracle} FULL JOIN ${settled} ON s.brand_id = o.brand_id
      WHERE (o.gross, o.refunds, o.fee, o.net, o.payment_count, o.refund_count, o.grade, o.fee_rate_bp)
            IS DISTINCT FROM (s.gross, s.refunds, s.fee, s.net, s.payment_count, s.refund_count, s.grade, s.fee_rate_bp)`);
    const oracleMatch = differing.rows.length === 0 && checksum === oracleChecksum;
    if (!oracleMatch) {
      problems.push(
        `${differing.rows.length} brands differ from the oracle (checksum ${checksum}, oracle ${oracleChecksum}), e.g. ` +
          differing.rows
            .slice(0, 3)
            .map((row) => JSON.stringify(row))
            .join('; '),
      );
    }
    const totals = await one<{ brands: number; gross: string; refunds: string; fee: string; net: string }>(`
      SELECT count(*)::int AS brands, sum(gross)::text AS gross, sum(refunds)::text AS refunds, sum(fee)::text AS fee,
             sum(net)::text AS net
      FROM settlements WHERE run_id = ${runId}`);
    return {
      run,
      checksum,
      oracleChecksum,
      oracleMatch,
      brands: totals.brands,
      totals,
      taken: { payments: marks.payments, refunds: marks.refunds },
      problems,
    };
  } finally {
    await db.end();
  }
}

function report(info: {
  started: number;
  loadBefore: readonly number[];
  generateMs: number;
  source: Source;
  runA: SettleProcess;
  killedB: SettleProcess;
  atKill: RunRow | null;
  resumedB: SettleProcess;
  checkedA: Checked;
  checkedB: Checked;
  problems: readonly string[];
}): void {
  const { runA, killedB, resumedB, checkedA, checkedB, atKill } = info;
  const loads = (values: readonly number[]) => values.map((value) => value.toFixed(2)).join(' ');
  const cpuModel = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
  const takenA = checkedA.taken.payments + checkedA.taken.refunds;
  const wallA = runA.wallMs / 1000;
  const rssA = mib(runA.peakRssKb);
  const verdict = (ok: boolean) => (ok ? color.green('yes') : color.red('no'));
  const grouped = (value: number) => value.toLocaleString('en-US');
  const chunk = chunkSize ?? firstChunk(runA);
  const ownSeconds = (run: SettleProcess) =>
    /; ([\d.]+) s$/.exec(run.output.find((l) => l.startsWith('SUCCEEDED')) ?? '')?.[1];
  const killedAt = killedB.progress;
  const oracleOk = checkedA.oracleMatch && checkedB.oracleMatch;
  const marksOk =
    checkedA.problems.length + checkedB.problems.length ===
    (checkedA.oracleMatch ? 0 : 1) + (checkedB.oracleMatch ? 0 : 1);

  console.log(
    `\n## Weekly settlement of ${grouped(info.source.payments)} payments\n\n` +
      `${new Date().toISOString().slice(0, 10)}; nproc ${os.availableParallelism()} (${cpuModel}), ` +
      `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB; Node ${process.version}; load average ${loads(info.loadBefore)} ` +
      `before, ${loads(os.loadavg())} after. Week of ${PERIOD} (${PERIOD_START} – ${PERIOD_END}), ` +
      `SETTLEMENT_CHUNK_SIZE ${chunk}${chunkSize === undefined ? ' (the default)' : ''}; database ${info.source.size}.\n`,
  );
  console.log('| | |');
  console.log('| --- | ---: |');
  const row = (name: string, value: string | number) => console.log(`| ${name} | ${value} |`);
  row('order payments approved in the week', grouped(info.source.payments));
  row('refunds completed in the week', grouped(info.source.refunds));
  row('brands', `${grouped(brandCount)} (${grouped(checkedA.brands)} settled)`);
  row(
    'not the week’s (after its end / FAILED / top-ups; refunds after its end)',
    `${info.source.latePayments} / ${extraCount} / ${extraCount}; ${info.source.lateRefunds}`,
  );
  row('generate (s)', seconds(info.generateMs));
  row('run A: wall (s), spawn to exit', `${wallA.toFixed(1)} (the command's own: ${ownSeconds(runA) ?? '?'})`);
  row('run A: load average (1 min) at its start, end', runA.load.map((value) => value.toFixed(2)).join(', '));
  row('run A: payments + refunds taken', grouped(takenA));
  row('run A: rows/s', grouped(Math.round(takenA / wallA)));
  row('run A: peak RSS (MiB, VmHWM)', rssA.toFixed(0));
  row(`goal: wall ≤ ${GOAL_SECONDS} s`, verdict(wallA <= GOAL_SECONDS));
  row(`goal: peak RSS ≤ ${GOAL_RSS_MIB} MB`, verdict(rssA <= GOAL_RSS_MIB));
  row(
    'run B: killed at (printed progress; committed)',
    `${grouped(killedAt?.processed ?? 0)} (${(((killedAt?.processed ?? 0) / Math.max(killedAt?.total ?? 1, 1)) * 100).toFixed(1)} %); ` +
      `${grouped(atKill?.processed ?? 0)}, ${atKill?.phase ?? '?'}`,
  );
  row(
    'run B: killed process wall (s), peak RSS (MiB)',
    `${seconds(killedB.wallMs)}, ${mib(killedB.peakRssKb).toFixed(0)}`,
  );
  row('run B: resumed wall (s)', `${seconds(resumedB.wallMs)} (the command's own: ${ownSeconds(resumedB) ?? '?'})`);
  row('run B: resumed peak RSS (MiB)', mib(resumedB.peakRssKb).toFixed(0));
  row('run B: total wall (s)', seconds(killedB.wallMs + resumedB.wallMs));
  row('checksum A', checkedA.checksum);
  row('checksum B', checkedB.checksum);
  row('checksums equal', verdict(checkedA.checksum === checkedB.checksum));
  row('oracle match (A, B)', verdict(oracleOk));
  row('oracle checksum', checkedA.oracleChecksum);
  row('marks and counts right (A, B)', verdict(marksOk));
  console.log(
    `\nTotals (won): gross ${checkedA.totals.gross}, refunds ${checkedA.totals.refunds}, fee ${checkedA.totals.fee}, ` +
      `net ${checkedA.totals.net}.`,
  );
  if (info.problems.length > 0) for (const problem of info.problems) console.log(color.red(`WRONG: ${problem}`));
  else
    console.log(
      'Checked on both copies: the run SUCCEEDED with processed = total = what it marked; every order payment approved ' +
        'and every refund completed before the end marked with it, nothing else; settlements = the oracle.',
    );
  console.log(`Finished in ${((Date.now() - info.started) / 1000).toFixed(0)} s.`);
}

/** The chunk size a run used when not given: what its first chunk took. */
function firstChunk(run: SettleProcess): string {
  const first = run.output.map((line) => PROGRESS.exec(line)).find((match) => match !== null);
  return first ? `${first[2]}` : '?';
}
