import { z } from 'zod';

/** A command orders sends a participant, on `radiata.orders` with `orders.saga.<participant>.<action>`. */
export interface SagaCommand<T> {
  /** The order: the correlation id of every message and log line of its saga. */
  readonly orderId: string;
  readonly action: string;
  /** The step's attempt, from 1: orders resends a command that got no reply as a new message with the next one. */
  readonly attempt: number;
  /** ISO 8601. */
  readonly issuedAt: string;
  readonly data: T;
}

export const SAGA_OUTCOMES = ['DONE', 'REFUSED'] as const;
export type SagaOutcomeName = (typeof SAGA_OUTCOMES)[number];

/** A participant's answer, on `radiata.<participant>` with `<participant>.saga.<result>`. */
export interface SagaReply<T> {
  readonly orderId: string;
  /** The command's action and attempt, so orders can tell which command this answers. */
  readonly action: string;
  readonly attempt: number;
  readonly outcome: SagaOutcomeName;
  /** Why it was REFUSED (e.g. OUT_OF_STOCK); absent when DONE. */
  readonly reason?: string;
  readonly data: T;
  /** ISO 8601: when the participant answered. */
  readonly occurredAt: string;
}

// The lax UUID form (any version), as the subgraphs' isId and PostgreSQL's uuid accept.
const orderId = z.guid();
const action = z.string().regex(/^[a-z][a-z0-9-]*$/);
const attempt = z.number().int().min(1);
const instant = z.iso.datetime({ offset: true });

/** Reads a command whose `data` is read by `data`. Unknown fields are dropped. */
export const sagaCommandSchema = <T>(data: z.ZodType<T>): z.ZodType<SagaCommand<T>> =>
  z.object({ orderId, action, attempt, issuedAt: instant, data });

/** Reads a reply whose `data` is read by `data` (orders' side). A REFUSED reply must say why; a DONE one must not. */
export const sagaReplySchema = <T>(data: z.ZodType<T>): z.ZodType<SagaReply<T>> =>
  z
    .object({
      orderId,
      action,
      attempt,
      outcome: z.enum(SAGA_OUTCOMES),
      reason: z.string().trim().min(1).max(200).optional(),
      data,
      occurredAt: instant,
    })
    .refine((reply) => (reply.outcome === 'REFUSED') === (reply.reason !== undefined), {
      message: 'a REFUSED reply needs a reason, a DONE one has none',
      path: ['reason'],
    });
