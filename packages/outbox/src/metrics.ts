import { Counter, Gauge, type Registry } from 'prom-client';
import type { PendingStats } from './store.js';

export interface RelayMetrics {
  published(exchange: string): void;
  failed(reason: string): void;
  /** Removes the metrics from the registry (a stopped relay can no longer answer the gauges). */
  unregister(): void;
}

const NAMES = [
  'outbox_pending',
  'outbox_oldest_pending_age_seconds',
  'outbox_published_total',
  'outbox_publish_failures_total',
];

const none: RelayMetrics = { published: () => {}, failed: () => {}, unregister: () => {} };

/**
 * Outbox metrics in `registry`; the gauges read the table on scrape (they describe the whole
 * outbox, so every replica reports the same backlog). One relay per registry.
 */
export function relayMetrics(registry: Registry | undefined, stats: () => Promise<PendingStats>): RelayMetrics {
  if (!registry) return none;
  const taken = NAMES.find((name) => registry.getSingleMetric(name));
  if (taken) throw new Error(`${taken} is already registered: one outbox relay per metrics registry`);
  // A scrape collects both gauges at once: one query in flight serves them.
  let inFlight: Promise<PendingStats> | undefined;
  const read = () => {
    inFlight ??= stats().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };
  const gauge = (name: string, help: string, pick: (s: PendingStats) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        // A scrape while the database is down keeps the last value rather than failing /metrics.
        const current = await read().catch(() => undefined);
        if (current) this.set(pick(current));
      },
    });
  gauge('outbox_pending', 'Outbox messages not yet published', (s) => s.count);
  gauge('outbox_oldest_pending_age_seconds', 'Age of the oldest unpublished outbox message', (s) => s.oldestAgeSeconds);
  const published = new Counter({
    name: 'outbox_published_total',
    help: 'Outbox messages published and confirmed by RabbitMQ',
    labelNames: ['exchange'],
    registers: [registry],
  });
  const failures = new Counter({
    name: 'outbox_publish_failures_total',
    help: 'Outbox publish attempts that failed, by reason',
    labelNames: ['reason'],
    registers: [registry],
  });
  return {
    published: (exchange) => published.inc({ exchange }),
    failed: (reason) => failures.inc({ reason }),
    unregister: () => {
      for (const name of NAMES) registry.removeSingleMetric(name);
    },
  };
}
