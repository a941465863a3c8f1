import {
  type EventConsumerOptions,
  type InboxEvent,
  MalformedEvent,
  readEvent,
  startEventConsumer,
} from '@radiata/inbox';
import { failpoint, type Logger } from '@radiata/observability';
import type { Rabbit } from '@radiata/rabbitmq';
import { participantExchange, replyRoutingKey, sagaReplySchema } from '@radiata/saga';
import { z } from 'zod';
import { type SagaInput, UnreadableReply } from '../domain/saga/order-saga.js';
import type { SagaRun, SagaStore } from '../domain/saga/saga-store.js';

/** Orders' one queue of everything that moves a saga: participants' replies and payments' events. */
export const SAGA_REPLIES_QUEUE = 'orders.saga-replies';

/** The subgraphs that answer saga commands (docs/ARCHITECTURE.md, "Order saga"). */
export const SAGA_PARTICIPANTS = ['timesales', 'catalog', 'coupons', 'users'] as const;

export const PAYMENTS_EXCHANGE = 'radiata.payments';
const PAYMENT_APPROVED = 'payments.payment.approved';
const PAYMENT_FAILED = 'payments.payment.failed';
const REFUND_COMPLETED = 'payments.refund.completed';
const REFUND_FAILED = 'payments.refund.failed';

/** The refund payments makes for a cancelled order is requested under this key (payments' records.ts). */
const cancellationRefundKey = (orderId: string) => `order-cancelled:${orderId}`;

const id = z.guid();
const anyReply = sagaReplySchema(z.unknown());
const paymentEvent = z.object({ orderId: id, paymentId: id });
const failedPayment = paymentEvent.extend({ code: z.string().min(1) });
const refundEvent = z.object({
  orderId: id.nullable(),
  requestKey: z.string(),
  code: z.string().optional(),
});

/** Reads the payload with the schema its routing key calls for; MalformedEvent if it does not fit. */
const read = <T>(schema: z.ZodType<T>, event: InboxEvent): T =>
  readEvent({ [event.routingKey]: schema }, event.routingKey, event.payload);

/**
 * The order and saga input a message carries; null for a message that concerns no order's saga.
 * MalformedEvent (@radiata/inbox) for a routing key outside the contract or a malformed payload.
 */
export function sagaInputOf(event: InboxEvent): { orderId: string; input: SagaInput } | null {
  const [source, kind] = event.routingKey.split('.');
  if (kind === 'saga' && SAGA_PARTICIPANTS.includes(source as (typeof SAGA_PARTICIPANTS)[number])) {
    const reply = read(anyReply, event);
    return { orderId: reply.orderId, input: { kind: 'reply', participant: source as string, reply } };
  }
  switch (event.routingKey) {
    case PAYMENT_APPROVED: {
      const { orderId, paymentId } = read(paymentEvent, event);
      return { orderId, input: { kind: 'payment-approved', paymentId } };
    }
    case PAYMENT_FAILED: {
      const { orderId, code } = read(failedPayment, event);
      return { orderId, input: { kind: 'payment-failed', code } };
    }
    case REFUND_COMPLETED:
    case REFUND_FAILED: {
      const refund = read(refundEvent, event);
      // Only the refund of a cancellation moves the saga (an admin's partial refund does not).
      if (refund.orderId === null || refund.requestKey !== cancellationRefundKey(refund.orderId)) return null;
      return event.routingKey === REFUND_COMPLETED
        ? { orderId: refund.orderId, input: { kind: 'refund-completed' } }
        : { orderId: refund.orderId, input: { kind: 'refund-failed', code: refund.code ?? 'UNKNOWN' } };
    }
    default:
      throw new MalformedEvent(`unexpected routing key ${event.routingKey}`);
  }
}

/**
 * Applies every reply and payment event to its order's saga (SagaStore.run), each once by
 * message id (the inbox row commits with the decision), from the quorum queue
 * SAGA_REPLIES_QUEUE. A message that can never apply (malformed, outside the contract) is
 * dead-lettered at once; a failure (the database down) is retried, then dead-lettered.
 */
export async function startSagaRepliesConsumer(options: {
  rabbit: Rabbit;
  store: SagaStore;
  logger: Logger;
  registry?: EventConsumerOptions['registry'];
  onRun?: (run: SagaRun, input: SagaInput) => void;
}): Promise<void> {
  const log = options.logger.child({ component: 'saga-replies' });
  await startEventConsumer({
    rabbit: options.rabbit,
    queue: SAGA_REPLIES_QUEUE,
    bindings: [
      ...SAGA_PARTICIPANTS.map((participant) => ({
        exchange: participantExchange(participant),
        routingKeys: [replyRoutingKey(participant, '*')],
      })),
      {
        exchange: PAYMENTS_EXCHANGE,
        routingKeys: [PAYMENT_APPROVED, PAYMENT_FAILED, REFUND_COMPLETED, REFUND_FAILED],
      },
    ],
    logger: options.logger,
    registry: options.registry,
    isPermanent: (error) => error instanceof UnreadableReply,
    handle: async (event) => {
      const message = sagaInputOf(event);
      if (!message) return;
      const { orderId, input } = message;
      const messageLog = log.child({ orderId, messageId: event.messageId, routingKey: event.routingKey });
      try {
        const run = await options.store.run(orderId, input, {
          consumer: SAGA_REPLIES_QUEUE,
          messageId: event.messageId,
        });
        // Crash tests: the decision and its commands are committed, the reply not yet acknowledged.
        failpoint('orders.saga.after-decision');
        options.onRun?.(run, input);
        if (run.kind === 'decided') {
          messageLog.info({ changes: run.decision.changes, step: run.order.sagaStep }, 'saga advanced');
        } else if (run.kind === 'ignored') messageLog.info({ why: run.why }, 'saga message changed nothing');
        else if (run.kind === 'unknown-order') messageLog.warn('saga message for an unknown order: ignored');
      } catch (error) {
        messageLog.warn({ err: error }, 'saga message failed');
        throw error;
      }
    },
  });
}
