import type { Logger } from '@radiata/observability';
import { enqueue } from '@radiata/outbox';
import type { Clock } from '@radiata/service-runtime';
import { type TransitionKind, transitionEvent } from '../../messaging/timesales-events.js';
import type { Database, Transaction } from '../../persistence/database.js';
import type { SaleAnnouncements, TransitionAnnouncement } from './announcements.js';

/** Transitions fired per pass; a pass repeats while it fills one. */
const BATCH = 200;

interface Due {
  readonly time_sale_id: string;
  readonly kind: TransitionKind;
  readonly at: Date;
}

/**
 * The clock-driven transitions of sales (STARTED at the start, ENDED at the end) and SOLD_OUT
 * when the last product sells out. Each fires exactly once, whichever replicas try: its
 * time_sale_transitions row (primary key sale + kind) is inserted in the transaction that
 * enqueues its outbox event, and the replica whose insert conflicts publishes nothing.
 * Listeners on Redis pub/sub hear it after the commit.
 */
export class SaleTransitions {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly announcements: SaleAnnouncements,
    private readonly logger: Logger,
  ) {}

  /** Fires everything due at the clock's now (a sale that started while no replica ran, too); returns how many. */
  async fireDue(): Promise<number> {
    let fired = 0;
    for (;;) {
      const now = this.clock.now();
      const due = await this.db.$queryRaw<Due[]>`
        SELECT s.id AS time_sale_id, t.kind, t.at
        FROM time_sales s
        CROSS JOIN LATERAL (VALUES ('STARTED'::time_sale_transition_kind, s.start_at),
                                   ('ENDED'::time_sale_transition_kind, s.end_at)) AS t (kind, at)
        WHERE s.deleted_at IS NULL AND t.at <= ${now}::timestamptz
          AND NOT EXISTS (SELECT 1 FROM time_sale_transitions x WHERE x.time_sale_id = s.id AND x.kind = t.kind)
        ORDER BY t.at, t.kind
        LIMIT ${BATCH}`;
      for (const transition of due) {
        if (await this.fire(transition.time_sale_id, transition.kind, now)) fired += 1;
      }
      if (due.length < BATCH) break;
    }
    // Normally fired right after the reservation that sold the last unit; this catches a crash in between.
    const now = this.clock.now();
    const soldOut = await this.db.$queryRaw<{ id: string }[]>`
      SELECT s.id FROM time_sales s
      WHERE s.deleted_at IS NULL AND s.start_at <= ${now}::timestamptz AND s.end_at > ${now}::timestamptz
        AND NOT EXISTS (SELECT 1 FROM time_sale_transitions x WHERE x.time_sale_id = s.id AND x.kind = 'SOLD_OUT')
        AND EXISTS (SELECT 1 FROM time_sale_products p WHERE p.time_sale_id = s.id)
        AND NOT EXISTS (SELECT 1 FROM time_sale_products p
                        WHERE p.time_sale_id = s.id AND p.sold_quantity < p.total_quantity)`;
    for (const { id } of soldOut) if (await this.soldOutIfComplete(id)) fired += 1;
    return fired;
  }

  /** The earliest start or end that has not fired yet (possibly already due); null when none is left. */
  async nextInstant(): Promise<Date | null> {
    const [row] = await this.db.$queryRaw<{ at: Date | null }[]>`
      SELECT min(t.at) AS at
      FROM time_sales s
      CROSS JOIN LATERAL (VALUES ('STARTED'::time_sale_transition_kind, s.start_at),
                                 ('ENDED'::time_sale_transition_kind, s.end_at)) AS t (kind, at)
      WHERE s.deleted_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM time_sale_transitions x WHERE x.time_sale_id = s.id AND x.kind = t.kind)`;
    return row?.at ?? null;
  }

  /** SOLD_OUT, if the sale is running and every product of it is sold out; true when this call fired it. */
  soldOutIfComplete(timeSaleId: string): Promise<boolean> {
    return this.fire(timeSaleId, 'SOLD_OUT', this.clock.now());
  }

  private async fire(timeSaleId: string, kind: TransitionKind, now: Date): Promise<boolean> {
    const announcement = await this.db.$transaction(async (tx) => {
      // Serializes with a deletion (allowed only before the start) and with edits of the sale.
      const [sale] = await tx.$queryRaw<{ deleted_at: Date | null; start_at: Date; end_at: Date }[]>`
        SELECT deleted_at, start_at, end_at FROM time_sales WHERE id = ${timeSaleId}::uuid FOR SHARE`;
      if (!sale || sale.deleted_at !== null) return null;
      if (kind === 'SOLD_OUT' && !(await runningAndSoldOut(tx, timeSaleId, sale, now))) return null;
      const inserted = await tx.$executeRaw`
        INSERT INTO time_sale_transitions (time_sale_id, kind, fired_at)
        VALUES (${timeSaleId}::uuid, ${kind}::time_sale_transition_kind, ${now}::timestamptz)
        ON CONFLICT DO NOTHING`;
      if (inserted === 0) return null;
      const occurredAt = kind === 'STARTED' ? sale.start_at : kind === 'ENDED' ? sale.end_at : now;
      const current = await tx.timeSale.findUniqueOrThrow({ where: { id: timeSaleId } });
      const products = await tx.timeSaleProduct.findMany({ where: { timeSaleId }, orderBy: { id: 'asc' } });
      await enqueue(
        (sql, values) => tx.$executeRawUnsafe(sql, ...values),
        [transitionEvent(kind, current, products, occurredAt)],
      );
      const message: TransitionAnnouncement = { key: timeSaleId, kind, occurredAt: occurredAt.toISOString() };
      return message;
    });
    if (!announcement) return false;
    this.logger.info({ timeSaleId, kind, firedAt: now.toISOString() }, 'time sale transition');
    await this.announcements.transitioned([announcement]);
    return true;
  }
}

async function runningAndSoldOut(
  tx: Transaction,
  timeSaleId: string,
  sale: { readonly start_at: Date; readonly end_at: Date },
  now: Date,
): Promise<boolean> {
  if (now < sale.start_at || now >= sale.end_at) return false;
  const [counts] = await tx.$queryRaw<{ products: number; left: number }[]>`
    SELECT count(*)::int AS products, count(*) FILTER (WHERE sold_quantity < total_quantity)::int AS left
    FROM time_sale_products WHERE time_sale_id = ${timeSaleId}::uuid`;
  return (counts?.products ?? 0) > 0 && counts?.left === 0;
}
