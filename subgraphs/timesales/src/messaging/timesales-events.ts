import type { OutboxEvent } from '@radiata/outbox';
import { sellingWindow } from '../domain/sales/window-rules.js';
import type { TimeSale, TimeSaleProduct } from '../generated/prisma/client.js';

/** The topic exchange timesales events are published to (routing keys `timesales.*`). */
export const TIMESALES_EXCHANGE = 'radiata.timesales';

export type TransitionKind = 'STARTED' | 'ENDED' | 'SOLD_OUT';

export const TRANSITION_ROUTING_KEYS: Readonly<Record<TransitionKind, string>> = {
  STARTED: 'timesales.sale.started',
  ENDED: 'timesales.sale.ended',
  SOLD_OUT: 'timesales.sale.sold-out',
};

/** Payload of `timesales.sale.*`: the sale as it was when the transition fired. */
export interface TransitionPayload {
  readonly timeSaleId: string;
  readonly title: string;
  readonly startAt: string;
  readonly endAt: string;
  /** The service clock's instant of the transition (the sale's start or end for STARTED and ENDED). */
  readonly occurredAt: string;
  readonly products: readonly {
    readonly timeSaleProductId: string;
    readonly productId: string;
    readonly discountRate: number;
    readonly totalQuantity: number;
    /** Its own selling window. */
    readonly startAt: string;
    readonly endAt: string;
  }[];
}

/** The outbox event of a transition: the sale and its products (in id order) at `occurredAt`. */
export function transitionEvent(
  kind: TransitionKind,
  sale: TimeSale,
  products: readonly TimeSaleProduct[],
  occurredAt: Date,
): OutboxEvent {
  const payload: TransitionPayload = {
    timeSaleId: sale.id,
    title: sale.title,
    startAt: sale.startAt.toISOString(),
    endAt: sale.endAt.toISOString(),
    occurredAt: occurredAt.toISOString(),
    products: products.map((product) => {
      const window = sellingWindow(product);
      return {
        timeSaleProductId: product.id,
        productId: product.productId,
        discountRate: product.discountRate,
        totalQuantity: product.totalQuantity,
        startAt: window.startAt.toISOString(),
        endAt: window.endAt.toISOString(),
      };
    }),
  };
  return { exchange: TIMESALES_EXCHANGE, routingKey: TRANSITION_ROUTING_KEYS[kind], payload };
}
