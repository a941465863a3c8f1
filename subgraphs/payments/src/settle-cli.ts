// `npm run settle -- [--period YYYY-MM-DD]`: runs the weekly settlement of a week (default: the last
// one that has ended) in this process, printing its progress, as the schedule or an ADMIN's
// runSettlement would in the payments service. A run interrupted anywhere (this command killed, a
// replica gone) resumes from its last chunk; a SUCCEEDED one is printed and left as it is. Exits 0
// when the run has SUCCEEDED, 2 when another process is running it, 1 otherwise.
// Reads DATABASE_URL and the SETTLEMENT_* variables (README, "Configuration").
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { loadConfig } from '@radiata/config';
import { createLogger } from '@radiata/observability';
import { systemClock } from '@radiata/service-runtime';
import { Registry } from 'prom-client';
import { paymentsConfig } from './config.js';
import { SettlementRunner } from './domain/settlement/settlement-runner.js';
import { SettlementRuns } from './domain/settlement/settlement-runs.js';
import { settlementEvents } from './messaging/payments-events.js';
import { settlementMetrics } from './metrics.js';
import { createDatabase } from './persistence/database.js';
import { advisoryRunLocks } from './persistence/run-lock.js';
import { runTotals } from './persistence/settlement-sql.js';

const { values } = parseArgs({ options: { period: { type: 'string' } } });
const config = loadConfig(
  'settle',
  paymentsConfig.pick({
    DATABASE_URL: true,
    SETTLEMENT_TIME_ZONE: true,
    SETTLEMENT_CHUNK_SIZE: true,
    SETTLEMENT_ATTEMPTS: true,
    SETTLEMENT_DEFAULT_FEE_RATE_BP: true,
  }),
);
const db = createDatabase({ url: config.DATABASE_URL, poolSize: 2 });
const logger = createLogger('settle', process.env.LOG_LEVEL ?? 'warn');
const timeZone = config.SETTLEMENT_TIME_ZONE;
const runs = new SettlementRuns(
  db,
  systemClock,
  { timeZone, defaultFeeRateBp: config.SETTLEMENT_DEFAULT_FEE_RATE_BP },
  () => {},
);
const runner = new SettlementRunner(
  db,
  advisoryRunLocks(config.DATABASE_URL),
  settlementEvents,
  systemClock,
  logger,
  settlementMetrics(new Registry()),
  { timeZone, chunkSize: config.SETTLEMENT_CHUNK_SIZE, attempts: config.SETTLEMENT_ATTEMPTS },
);

const started = performance.now();
const seconds = () => ((performance.now() - started) / 1000).toFixed(1);
let exitCode = 1;
try {
  const period = runs.period(values.period);
  const run = await runs.start(period, null);
  console.log(
    `settlement of the week of ${period.startsOn} (${period.start.toISOString()} – ${period.end.toISOString()}): run ${run.id}, ${run.status}`,
  );
  const outcome =
    run.status === 'RUNNING'
      ? await runner.runToEnd(run.id, (step) => {
          const share = step.total ? ` (${((100 * step.processed) / Math.max(step.total, 1)).toFixed(1)} %)` : '';
          console.log(`progress ${step.phase} ${step.processed}/${step.total ?? '?'}${share} ${seconds()} s`);
        })
      : 'finished';
  const final = await db.settlementRun.findUniqueOrThrow({ where: { id: run.id } });
  if (outcome === 'busy') {
    console.log('another process is running this run; it resumes here if that process dies');
    exitCode = 2;
  } else if (final.status === 'SUCCEEDED') {
    const totals = await runTotals(db, run.id);
    console.log(
      `SUCCEEDED: ${final.processed} payments and refunds, ${totals.brands} brands, gross ${totals.gross}, ` +
        `refunds ${totals.refunds}, fee ${totals.fee}, net ${totals.net} won; ${seconds()} s`,
    );
    exitCode = 0;
  } else {
    console.log(`${final.status}${final.error ? `: ${final.error}` : ''}`);
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
} finally {
  await db.$disconnect();
}
process.exit(exitCode);
