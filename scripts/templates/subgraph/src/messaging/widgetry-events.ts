import { enqueue } from '@radiata/outbox';
import type { Transaction } from '../persistence/database.js';

/** The topic exchange widgetry events are published to (routing keys `widgetry.*`). */
export const WIDGETRY_EXCHANGE = 'radiata.widgetry';

export interface WidgetryEvent {
  readonly routingKey: string;
  readonly payload: Record<string, unknown>;
}

/**
 * Records events in the transaction of the change they describe (transactional outbox): they are
 * published if and only if the change commits.
 */
export async function recordEvents(tx: Transaction, events: readonly WidgetryEvent[]): Promise<void> {
  await enqueue(
    (sql, values) => tx.$executeRawUnsafe(sql, ...values),
    events.map((event) => ({ exchange: WIDGETRY_EXCHANGE, routingKey: event.routingKey, payload: event.payload })),
  );
}
