import type { Logger } from '@radiata/observability';
import type { Database } from '../../persistence/database.js';
import type { SagaInput } from './order-saga.js';
import type { SagaRun, SagaStore } from './saga-store.js';

/** Orders handled at once by one pass (each is its own short transaction). */
const CONCURRENCY = 8;

/**
 * The saga's deadlines: a step whose reply is late is resent or given up, an order unpaid in
 * time expires. Every replica runs a pass every interval; they may pick the same order, and the
 * row lock with the deadline checked again under it (OrderSaga: "not due") makes the second
 * change nothing, so each deadline is acted on once.
 */
export class SagaTimer {
  constructor(
    private readonly db: Database,
    private readonly store: SagaStore,
    private readonly now: () => Date,
    private readonly logger: Logger,
    private readonly batchSize = 500,
  ) {}

  /** One pass; returns how many orders it changed. */
  async pass(observe?: (run: SagaRun, input: SagaInput) => void): Promise<number> {
    const due = await this.db.order.findMany({
      where: { sagaDueAt: { lte: this.now() } },
      select: { id: true },
      orderBy: { sagaDueAt: 'asc' },
      take: this.batchSize,
    });
    let changed = 0;
    const queue = due.map((order) => order.id);
    const work = async () => {
      for (let orderId = queue.shift(); orderId; orderId = queue.shift()) {
        try {
          const input: SagaInput = { kind: 'due' };
          const run = await this.store.run(orderId, input);
          observe?.(run, input);
          if (run.kind === 'decided') changed += 1;
        } catch (error) {
          this.logger.error({ err: error, orderId }, 'acting on a saga deadline failed; the next pass retries');
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, queue.length) }, work));
    return changed;
  }
}
