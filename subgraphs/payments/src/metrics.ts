import { Gauge, type Registry } from 'prom-client';
import type { Database } from './persistence/database.js';

/**
 * `radiata_payments_pending{kind, age}`: payments and refunds waiting for the provider, read at
 * each scrape. A growing `age="over_10m"` count means reconciliation is not finishing them
 * (the provider is down, or refuses our key): page someone.
 */
export function registerPendingGauge(registry: Registry, db: Database, overAfterMs = 10 * 60_000): void {
  new Gauge({
    name: 'radiata_payments_pending',
    help: 'Payments and refunds waiting for the payment provider, by kind and whether older than 10 minutes',
    labelNames: ['kind', 'age'] as const,
    registers: [registry],
    async collect() {
      const [counts] = await db.$queryRaw<
        { payments: number; old_payments: number; refunds: number; old_refunds: number }[]
      >`
        SELECT
          (SELECT count(*)::int FROM payments WHERE status = 'PENDING') AS payments,
          (SELECT count(*)::int FROM payments WHERE status = 'PENDING' AND created_at < now() - ${overAfterMs} * interval '1 millisecond') AS old_payments,
          (SELECT count(*)::int FROM refunds WHERE status = 'PENDING') AS refunds,
          (SELECT count(*)::int FROM refunds WHERE status = 'PENDING' AND created_at < now() - ${overAfterMs} * interval '1 millisecond') AS old_refunds`;
      if (!counts) return;
      this.set({ kind: 'payment', age: 'recent' }, counts.payments - counts.old_payments);
      this.set({ kind: 'payment', age: 'over_10m' }, counts.old_payments);
      this.set({ kind: 'refund', age: 'recent' }, counts.refunds - counts.old_refunds);
      this.set({ kind: 'refund', age: 'over_10m' }, counts.old_refunds);
    },
  });
}
