import type { Logger } from '@radiata/observability';
import type { Clock } from '@radiata/service-runtime';
import type { Database } from '../../persistence/database.js';
import { periodDueBy, type SettlementSchedule as Schedule } from './period.js';
import { SETTLEMENT_JOB, type SettlementRunRecord, type SettlementRuns } from './settlement-runs.js';

/**
 * The weekly schedule (SETTLEMENT_SCHEDULE, e.g. Mondays 03:00 Asia/Seoul): once the run time of
 * the last closed week has come, starts its run unless it (or a later week's) exists. Every
 * replica looks; the run's uniqueness makes one run. A replica that was down at the time starts
 * it when it comes back.
 */
export class SettlementScheduler {
  constructor(
    private readonly db: Database,
    private readonly runs: Pick<SettlementRuns, 'start'>,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly schedule: Schedule,
    private readonly timeZone: string,
  ) {}

  /** The run it started, or null (nothing due, or it exists). */
  async tick(): Promise<SettlementRunRecord | null> {
    if (!this.schedule) return null;
    const period = periodDueBy(this.clock.now(), this.schedule, this.timeZone);
    const existing = await this.db.settlementRun.findFirst({
      where: { job: SETTLEMENT_JOB, periodStart: { gte: period.start } },
      select: { id: true },
    });
    if (existing) return null;
    const run = await this.runs.start(period, null);
    this.logger.info({ runId: run.id, period: period.startsOn }, 'scheduled settlement run started');
    return run;
  }
}
