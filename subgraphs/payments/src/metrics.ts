import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
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

/**
 * `radiata_closed_wallets_balance_won`: won held in the wallets of deleted accounts (closed), read at
 * each scrape: owed to their former owners until an operator pays it back. Above zero needs someone.
 */
export function registerClosedWalletsGauge(registry: Registry, db: Database): void {
  new Gauge({
    name: 'radiata_closed_wallets_balance_won',
    help: 'Won held in the wallets of deleted accounts, owed to their former owners',
    registers: [registry],
    async collect() {
      const [row] = await db.$queryRaw<{ won: number }[]>`
        SELECT COALESCE(sum(balance), 0)::float8 AS won FROM wallets WHERE closed_at IS NOT NULL AND balance > 0`;
      this.set(row?.won ?? 0);
    },
  });
}

/** The weekly settlement's metrics (the Grafana "Radiata / Settlement" dashboard). */
export interface SettlementMetrics {
  /** `radiata_settlement_items_total{kind}`: payments and refunds taken into settlements. */
  readonly items: Counter<'kind'>;
  /** `radiata_settlement_chunk_seconds`: one chunk's transaction, read to commit. */
  readonly chunkSeconds: Histogram;
  /** `radiata_settlement_runs_total{outcome}`: runs that ended, SUCCEEDED or FAILED. */
  readonly runs: Counter<'outcome'>;
}

export function settlementMetrics(registry: Registry): SettlementMetrics {
  return {
    items: new Counter({
      name: 'radiata_settlement_items_total',
      help: 'Payments and refunds taken into weekly settlements',
      labelNames: ['kind'] as const,
      registers: [registry],
    }),
    chunkSeconds: new Histogram({
      name: 'radiata_settlement_chunk_seconds',
      help: "One settlement chunk's transaction (read, mark, sum, checkpoint)",
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    runs: new Counter({
      name: 'radiata_settlement_runs_total',
      help: 'Settlement runs that ended, by outcome',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
  };
}
