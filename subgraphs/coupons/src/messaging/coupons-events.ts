import type { OutboxEvent } from '@radiata/outbox';

/** The topic exchange coupon events are published to (routing keys `coupons.*`). */
export const COUPONS_EXCHANGE = 'radiata.coupons';

/** Payload of `coupons.issued`: an accepted claim is persisted (an issue never changes after it). */
export interface IssuedPayload {
  readonly issueId: string;
  readonly couponId: string;
  readonly userId: string;
  readonly claimId: string;
  readonly issuedAt: string;
  readonly expiresAt: string;
}

/** The outbox event of one newly persisted issue. */
export function issuedEvent(issue: {
  readonly id: string;
  readonly couponId: string;
  readonly userId: string;
  readonly claimId: string;
  readonly issuedAt: Date;
  readonly expiresAt: Date;
}): OutboxEvent {
  const payload: IssuedPayload = {
    issueId: issue.id,
    couponId: issue.couponId,
    userId: issue.userId,
    claimId: issue.claimId,
    issuedAt: issue.issuedAt.toISOString(),
    expiresAt: issue.expiresAt.toISOString(),
  };
  return { exchange: COUPONS_EXCHANGE, routingKey: 'coupons.issued', payload };
}
