import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { SagaInput } from './domain/saga/order-saga.js';
import type { SagaRun } from './domain/saga/saga-store.js';
import type { Database } from './persistence/database.js';

/**
 * The saga on /metrics: how long each step took to answer (from the command's write to its
 * reply's decision), compensations by reason, deadlines acted on, and orders by status.
 */
export class SagaMetrics {
  private readonly stepSeconds: Histogram<'step' | 'direction' | 'outcome'>;
  private readonly compensations: Counter<'reason'>;
  private readonly deadlines: Counter<'step' | 'direction'>;

  constructor(registry: Registry) {
    this.stepSeconds = new Histogram({
      name: 'radiata_saga_step_seconds',
      help: 'Time from sending a saga command (its last attempt) to deciding on its reply',
      labelNames: ['step', 'direction', 'outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    });
    this.compensations = new Counter({
      name: 'radiata_order_compensations_total',
      help: 'Orders whose reservations started being given back, by cancel reason',
      labelNames: ['reason'],
      registers: [registry],
    });
    this.deadlines = new Counter({
      name: 'radiata_saga_deadlines_total',
      help: 'Saga deadlines acted on (a command resent, a step given up, an order expired), by step and direction',
      labelNames: ['step', 'direction'],
      registers: [registry],
    });
  }

  observe(run: SagaRun, input: SagaInput, now: Date): void {
    if (run.kind !== 'decided') return;
    const { before, order, decision } = run;
    if (decision.compensating) this.compensations.inc({ reason: order.cancelReason ?? 'UNKNOWN' });
    if (input.kind === 'due') {
      this.deadlines.inc({ step: before.sagaStep ?? 'none', direction: before.sagaAction ?? 'none' });
    }
    if (input.kind === 'reply' && before.sagaStep !== null) {
      this.stepSeconds.observe(
        { step: before.sagaStep, direction: before.sagaAction ?? 'do', outcome: input.reply.outcome },
        Math.max(0, (now.getTime() - before.updatedAt.getTime()) / 1000),
      );
    }
  }
}

/** `radiata_orders{status}`: orders in each status, counted at scrape. */
export function registerOrdersGauge(registry: Registry, db: Database): void {
  new Gauge({
    name: 'radiata_orders',
    help: 'Orders by status',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      const rows = await db.$queryRaw<{ status: string; count: bigint }[]>`
        SELECT status::text, count(*) AS count FROM orders GROUP BY status`;
      this.reset();
      for (const row of rows) this.set({ status: row.status }, Number(row.count));
    },
  });
}
