import type { Viewer } from '@radiata/auth-context';
import { badUserInput, conflict, notFound } from '@radiata/errors';
import {
  type Clock,
  type Connection,
  isId,
  newestFirst,
  newId,
  type PageRequest,
  requireRole,
} from '@radiata/service-runtime';
import type { SettlementRun } from '../../generated/prisma/client.js';
import type { Database } from '../../persistence/database.js';
import { freezeFeeRates } from '../../persistence/settlement-sql.js';
import {
  InvalidPeriod,
  lastClosedPeriod,
  periodContaining,
  periodStartingOn,
  type SettlementPeriod,
} from './period.js';

/** The one job so far: every brand's week. */
export const SETTLEMENT_JOB = 'weekly-brand-settlement';
/** The grade of a brand the catalog has not told payments about (the catalog's default grade). */
export const DEFAULT_GRADE = 'BASIC';

export type SettlementRunRecord = SettlementRun;

export interface SettlementRunsSettings {
  readonly timeZone: string;
  /** The fee rate of the default grade while the catalog has not told payments its rate. */
  readonly defaultFeeRateBp: number;
}

/**
 * Settlement runs: one per (job, period), started by the schedule, the command line or an ADMIN,
 * run by the SettlementRunner. A period's run is final once SUCCEEDED: asking again answers the
 * same run and changes nothing; a FAILED run resumes from its checkpoint when asked again.
 */
export class SettlementRuns {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly settings: SettlementRunsSettings,
    /** Tells the runner there is work (it also looks on its own, every SETTLEMENT_POLL_INTERVAL_MS). */
    private readonly wake: () => void,
  ) {}

  /** The week starting on `startsOn` (YYYY-MM-DD, a Monday), or the last closed one; BAD_USER_INPUT otherwise. */
  period(startsOn: string | null | undefined): SettlementPeriod {
    if (startsOn === null || startsOn === undefined) return lastClosedPeriod(this.clock.now(), this.settings.timeZone);
    try {
      return periodStartingOn(startsOn, this.settings.timeZone);
    } catch (error) {
      if (!(error instanceof InvalidPeriod)) throw error;
      throw badUserInput(`period: ${error.message}`, [{ field: 'period', message: error.message }]);
    }
  }

  /** The period a run settles. */
  periodOf(run: Pick<SettlementRun, 'periodStart' | 'periodEnd'>): SettlementPeriod {
    return { ...periodContaining(run.periodStart, this.settings.timeZone), start: run.periodStart, end: run.periodEnd };
  }

  /**
   * ADMIN: settles a week that has ended (default: the last one) and answers at once with its run
   * (new, or the one that exists). BAD_USER_INPUT for a week not over; CONFLICT when a later week
   * has a run (it took everything approved before its end).
   */
  async request(viewer: Viewer | null, startsOn: string | null | undefined): Promise<SettlementRunRecord> {
    const admin = requireRole(viewer, 'ADMIN');
    const run = await this.start(this.period(startsOn), admin.id);
    this.wake();
    return run;
  }

  /**
   * The run of `period`, created if there is none (a FAILED one runs again). BAD_USER_INPUT for a
   * week not over; CONFLICT when a later period has a run.
   */
  async start(period: SettlementPeriod, requestedBy: string | null): Promise<SettlementRunRecord> {
    if (period.end > this.clock.now()) {
      const message = `the week of ${period.startsOn} ends at ${period.end.toISOString()}: it can be settled after that`;
      throw badUserInput(`period: ${message}`, [{ field: 'period', message }]);
    }
    return this.db.$transaction(async (tx) => {
      // One starter at a time: the check for a later run and the insert must not interleave.
      await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtext('radiata.settlement.start'))::text`;
      const existing = await tx.settlementRun.findUnique({
        where: { job_periodStart: { job: SETTLEMENT_JOB, periodStart: period.start } },
      });
      if (existing?.status === 'FAILED') {
        return tx.settlementRun.update({
          where: { id: existing.id },
          data: { status: 'RUNNING', failures: 0, error: null, finishedAt: null },
        });
      }
      if (existing) return existing;
      const later = await tx.settlementRun.findFirst({
        where: { job: SETTLEMENT_JOB, periodStart: { gt: period.start } },
        orderBy: { periodStart: 'asc' },
      });
      if (later) {
        throw conflict(
          `The week of ${this.periodOf(later).startsOn} has a settlement run: it took everything approved or refunded before its end, this week's included`,
        );
      }
      const grade = await tx.catalogGrade.findUnique({ where: { grade: DEFAULT_GRADE } });
      const defaultFeeRateBp = grade?.feeRateBp ?? this.settings.defaultFeeRateBp;
      const run = await tx.settlementRun.create({
        data: {
          id: newId(),
          job: SETTLEMENT_JOB,
          periodStart: period.start,
          periodEnd: period.end,
          defaultGrade: DEFAULT_GRADE,
          defaultFeeRateBp,
          requestedBy,
        },
      });
      await freezeFeeRates(tx, run.id, defaultFeeRateBp);
      return run;
    });
  }

  /** ADMIN: a run by id; NOT_FOUND. */
  async get(viewer: Viewer | null, id: string): Promise<SettlementRunRecord> {
    requireRole(viewer, 'ADMIN');
    const run = isId(id) ? await this.db.settlementRun.findUnique({ where: { id } }) : null;
    if (!run) throw notFound('Settlement run');
    return run;
  }

  /** ADMIN: runs, newest first. */
  list(viewer: Viewer | null, page: PageRequest): Promise<Connection<SettlementRunRecord>> {
    requireRole(viewer, 'ADMIN');
    return newestFirst(page, ({ idBelow, take }) =>
      this.db.settlementRun.findMany({
        where: idBelow ? { id: { lt: idBelow } } : {},
        orderBy: { id: 'desc' },
        take,
      }),
    );
  }
}
