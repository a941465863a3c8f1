import { hostname } from 'node:os';
import { failpoint, type Logger } from '@radiata/observability';
import { type Clock, newId } from '@radiata/service-runtime';
import type { SettlementRun } from '../../generated/prisma/client.js';
import type { SettlementEvents } from '../../messaging/payments-events.js';
import type { SettlementMetrics } from '../../metrics.js';
import type { Database, Transaction } from '../../persistence/database.js';
import type { LockRun } from '../../persistence/run-lock.js';
import {
  type ChunkResult,
  closeTotals,
  countUnsettled,
  runTotals,
  settlePaymentChunk,
  settleRefundChunk,
} from '../../persistence/settlement-sql.js';
import { periodContaining } from './period.js';

export interface SettlementRunnerSettings {
  readonly timeZone: string;
  /** Payments or refunds per chunk (one transaction each). */
  readonly chunkSize: number;
  /** Failures in a row before a run is marked FAILED. */
  readonly attempts: number;
}

type Step = { readonly kind: 'progress' | 'done' | 'lost'; readonly run: SettlementRun };
export type RunOutcome = 'finished' | 'busy' | 'lost' | 'failed' | 'stopped';

/** A failure whose message may be shown to an ADMIN. */
export class SettlementFailure extends Error {
  override readonly name = 'SettlementFailure';
}

const STEP_TIMEOUT_MS = 300_000;
const RETRY_MAX_MS = 30_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs settlement runs to their end, chunk by chunk: each chunk reads the next payments (then
 * refunds) after the run's checkpoint, marks them with the run, adds their brands' parts, and
 * moves the checkpoint, all in one transaction; the last step closes the fees and nets. A run
 * killed at any instant resumes from its last committed chunk and ends with the same totals.
 * One process at a time runs a run (its advisory lock); the others leave it alone.
 */
export class SettlementRunner {
  /** This process, as the runs it runs record it. */
  readonly id = `${hostname()}:${process.pid}:${newId().slice(-8)}`;
  private pass: Promise<void> | null = null;
  private again = false;
  private stopping = false;

  constructor(
    private readonly db: Database,
    private readonly lockRun: LockRun,
    private readonly events: SettlementEvents,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly metrics: SettlementMetrics,
    private readonly settings: SettlementRunnerSettings,
  ) {}

  /**
   * Runs every RUNNING run no other process is running, oldest period first (a run whose runner
   * died is resumed). A call during a pass makes the pass look once more when it ends.
   */
  runPending(): Promise<void> {
    if (this.pass !== null) {
      this.again = true;
      return this.pass;
    }
    this.pass = (async () => {
      do {
        this.again = false;
        const runs = await this.db.settlementRun.findMany({
          where: { status: 'RUNNING' },
          orderBy: { periodStart: 'asc' },
          select: { id: true },
        });
        for (const { id } of runs) await this.runToEnd(id);
      } while (this.again);
    })().finally(() => {
      this.pass = null;
    });
    return this.pass;
  }

  /** Stops after the chunk in flight (shutdown): the run stays RUNNING and resumes elsewhere or later. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.pass?.catch(() => {});
  }

  /**
   * Runs one run to its end: 'finished' (or it was not running), 'busy' (another process runs
   * it), 'lost' (another process took it over), 'failed' (SETTLEMENT_ATTEMPTS failures in a row),
   * 'stopped' (shutdown).
   */
  async runToEnd(runId: string, onProgress?: (run: SettlementRun) => void | Promise<void>): Promise<RunOutcome> {
    const lock = await this.lockRun(runId);
    if (!lock) return 'busy';
    const log = this.logger.child({ component: 'settlement', runId });
    try {
      const claimed = await this.db.settlementRun.updateMany({
        where: { id: runId, status: 'RUNNING' },
        data: { runner: this.id },
      });
      if (claimed.count === 0) return 'finished';
      log.info({ runner: this.id }, 'settlement run started or resumed');
      for (;;) {
        if (this.stopping) return 'stopped';
        let step: Step;
        try {
          step = await this.step(runId);
        } catch (error) {
          const failures = await this.recordFailure(runId, error, log).catch(() => RETRY_MAX_MS);
          if (failures === null) return 'failed';
          await sleep(Math.min(1000 * 2 ** (failures - 1), RETRY_MAX_MS));
          continue;
        }
        failpoint('settlement.after-chunk');
        // Awaited: the next chunk waits for what the caller does with this one.
        await onProgress?.(step.run);
        if (step.kind === 'lost') return 'lost';
        if (step.kind === 'done') {
          this.metrics.runs.inc({ outcome: 'SUCCEEDED' });
          log.info({ processed: step.run.processed }, 'settlement run succeeded');
          return 'finished';
        }
      }
    } finally {
      await lock.release().catch((error: unknown) => log.warn({ err: error }, 'releasing the run lock failed'));
    }
  }

  /** One chunk (or the closing of the totals), with the run's row locked: replicas take turns. */
  private async step(runId: string): Promise<Step> {
    const timer = this.metrics.chunkSeconds.startTimer();
    const step = await this.db.$transaction(
      async (tx): Promise<Step> => {
        await tx.$queryRaw`SELECT id FROM settlement_runs WHERE id = ${runId}::uuid FOR UPDATE`;
        const run = await tx.settlementRun.findUniqueOrThrow({ where: { id: runId } });
        if (run.status !== 'RUNNING' || run.runner !== this.id) return { kind: 'lost', run };
        const total = run.total ?? (await countUnsettled(tx, run.periodEnd));
        const updated = await tx.settlementRun.update({
          where: { id: runId },
          data: { total, failures: 0, error: null, ...(await this.advance(tx, run)) },
        });
        failpoint('settlement.chunk.before-commit');
        return { kind: updated.status === 'RUNNING' ? 'progress' : 'done', run: updated };
      },
      { timeout: STEP_TIMEOUT_MS },
    );
    timer();
    return step;
  }

  private async advance(tx: Transaction, run: SettlementRun) {
    const chunk = { id: run.id, end: run.periodEnd };
    switch (run.phase) {
      case 'PAYMENTS': {
        const taken = await settlePaymentChunk(tx, { ...chunk, after: run.paymentCursor }, this.settings.chunkSize);
        this.metrics.items.inc({ kind: 'payment' }, taken.taken);
        return taken.read === 0 ? { phase: 'REFUNDS' as const } : { paymentCursor: taken.last, ...progress(taken) };
      }
      case 'REFUNDS': {
        const taken = await settleRefundChunk(tx, { ...chunk, after: run.refundCursor }, this.settings.chunkSize);
        this.metrics.items.inc({ kind: 'refund' }, taken.taken);
        return taken.read === 0 ? { phase: 'TOTALS' as const } : { refundCursor: taken.last, ...progress(taken) };
      }
      case 'TOTALS': {
        await closeTotals(tx, run.id);
        const totals = await runTotals(tx, run.id);
        const completedAt = this.clock.now();
        await this.events.completed(tx, {
          runId: run.id,
          periodStartsOn: periodContaining(run.periodStart, this.settings.timeZone).startsOn,
          periodStart: run.periodStart.toISOString(),
          periodEnd: run.periodEnd.toISOString(),
          brands: totals.brands,
          gross: Number(totals.gross),
          refunds: Number(totals.refunds),
          fee: Number(totals.fee),
          net: Number(totals.net),
          completedAt: completedAt.toISOString(),
        });
        return {
          phase: 'DONE' as const,
          status: 'SUCCEEDED' as const,
          finishedAt: completedAt,
          // payments confirmed late (backdated) during the run make it take more than it counted
          total: Math.max(run.total ?? 0, run.processed),
        };
      }
      case 'DONE':
        return {};
    }
  }

  /** Counts a failed step; at SETTLEMENT_ATTEMPTS the run is FAILED (null). Otherwise the failures in a row. */
  private async recordFailure(runId: string, error: unknown, log: Logger): Promise<number | null> {
    log.error({ err: error }, 'settlement step failed');
    const run = await this.db.settlementRun.update({ where: { id: runId }, data: { failures: { increment: 1 } } });
    if (run.failures < this.settings.attempts) return run.failures;
    const message =
      error instanceof SettlementFailure
        ? error.message
        : `stopped after ${run.failures} failures in a row; the payments service's log has the cause (run ${runId})`;
    await this.db.settlementRun.updateMany({
      where: { id: runId, status: 'RUNNING' },
      data: { status: 'FAILED', error: message, finishedAt: this.clock.now() },
    });
    this.metrics.runs.inc({ outcome: 'FAILED' });
    return null;
  }
}

const progress = (chunk: ChunkResult) => ({ processed: { increment: chunk.taken } });
