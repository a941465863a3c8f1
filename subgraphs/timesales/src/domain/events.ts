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

/** Pub/sub message of a transition (keyed by sale for RedisFanout listeners). */
export interface TransitionAnnouncement {
  readonly key: string;
  readonly kind: TransitionKind;
  readonly occurredAt: string;
}

/** Pub/sub message: a sale was created, changed or deleted. */
export interface ChangeAnnouncement {
  readonly key: string;
}

/** Pub/sub message: what is left of a sale product after a reservation or a release. */
export interface QuantityAnnouncement {
  readonly key: string;
  readonly timeSaleId: string;
  readonly productId: string;
  readonly remainingQuantity: number;
}
