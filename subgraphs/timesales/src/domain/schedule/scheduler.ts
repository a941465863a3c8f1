import type { Logger } from '@radiata/observability';
import type { Clock, RedisFanout, Unlisten } from '@radiata/service-runtime';

/** What a SaleScheduler drives: instants that come due (sale transitions, selling-window boundaries). */
export interface ScheduledWork {
  /** Does whatever is due at the clock's now; returns how much. */
  fireDue(): Promise<number>;
  /** The earliest instant not done yet (possibly already due); null when none is ahead. */
  nextInstant(): Promise<Date | null>;
}

/** setTimeout's ceiling (about 24.8 days); a later instant is reached by re-arming. */
const MAX_TIMER_MS = 2 ** 31 - 1;
const RETRY_AFTER_FAILURE_MS = 1_000;

export interface SaleSchedulerOptions {
  /** Sale transitions (SaleTransitions), or any other work due at instants. */
  readonly transitions: ScheduledWork;
  /** Names it in the logs; default "sale-scheduler". */
  readonly component?: string;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Re-reads the next instant this often, for changes whose announcement it missed. */
  readonly pollMs: number;
  /** Announcements of sale changes (any replica's): each re-arms the timer. */
  readonly changes?: { readonly fanout: RedisFanout; readonly channel: string };
}

/**
 * Fires sales' starts and ends at their instants: one timer set to the next one that has not
 * fired, re-armed after every pass, on every announced change of a sale, and on a slow poll.
 * At start it fires at once whatever became due while no replica ran. Every replica may run
 * one: SaleTransitions makes each transition fire once.
 *
 * Hand-written rather than croner: these are one-off instants that move whenever a sale is
 * edited, not a recurring schedule, and the exactly-once guard is the database row, not a lock.
 */
export class SaleScheduler {
  private readonly log: Logger;
  private timer: NodeJS.Timeout | undefined;
  private poll: NodeJS.Timeout | undefined;
  private unlisten: Unlisten | undefined;
  /** The passes queued one after another; `queued` is the one not started yet, shared by callers. */
  private chain: Promise<void> = Promise.resolve();
  private queued: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly options: SaleSchedulerOptions) {
    this.log = options.logger.child({ component: options.component ?? 'sale-scheduler' });
  }

  async start(): Promise<void> {
    const { changes } = this.options;
    if (changes) {
      this.unlisten = changes.fanout.listen(changes.channel, () => void this.wake());
      await this.unlisten.ready;
    }
    this.poll = setInterval(() => void this.wake(), this.options.pollMs);
    await this.wake();
  }

  /** Runs a pass (fire what is due, re-arm) after any pass in progress; resolves when it is done. */
  wake(): Promise<void> {
    if (this.stopped) return this.chain;
    if (!this.queued) {
      const pass = this.chain.then(() => {
        this.queued = undefined;
        return this.stopped ? undefined : this.pass();
      });
      this.queued = pass;
      this.chain = pass;
    }
    return this.queued;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.poll);
    this.unlisten?.();
    await this.chain;
  }

  private async pass(): Promise<void> {
    clearTimeout(this.timer);
    const { transitions, clock } = this.options;
    try {
      await transitions.fireDue();
      const next = await transitions.nextInstant();
      // A timer can fire a moment before the clock reaches its instant: the next pass re-arms for the rest.
      if (next) this.arm(next.getTime() - clock.now().getTime());
    } catch (error) {
      this.log.error({ err: error }, 'firing what was due failed; retrying');
      this.arm(RETRY_AFTER_FAILURE_MS);
    }
  }

  private arm(delayMs: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.wake(), Math.min(Math.max(delayMs, 0), MAX_TIMER_MS));
  }
}
