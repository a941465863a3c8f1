import { receiveOnce } from '@radiata/inbox';
import { CORRELATION_HEADER, enqueue, type OutboxEvent } from '@radiata/outbox';
import { commandRoutingKey, SAGA_COMMAND_EXCHANGE, type SagaCommand } from '@radiata/saga';
import { newId } from '@radiata/service-runtime';
import type { Order, OrderStatus } from '../../generated/prisma/client.js';
import { orderStatusChanged } from '../../messaging/orders-events.js';
import type { Database, Transaction } from '../../persistence/database.js';
import type { Ignored, OrderSaga, SagaDecision, SagaInput, SagaMessage, StatusChange } from './order-saga.js';
import type { SagaOrder } from './step.js';

/** Where a message came from, when it must be applied once (the inbox). */
export interface Delivery {
  readonly consumer: string;
  readonly messageId: string;
}

export type SagaRun =
  | {
      readonly kind: 'decided';
      /** The order as it was before the decision, and as it is after. */
      readonly before: SagaOrder;
      readonly order: SagaOrder;
      readonly decision: SagaDecision;
    }
  | { readonly kind: 'ignored'; readonly order: SagaOrder; readonly why: string }
  | { readonly kind: 'duplicate' }
  | { readonly kind: 'unknown-order' };

/** A status change as the history records it (the first one, placing the order, comes from nowhere). */
export type Transition = Omit<StatusChange, 'from'> & { readonly from: OrderStatus | null };

/** Called after a change of an order's status committed (live views). */
export type StatusListener = (order: SagaOrder) => void;

const execute = (tx: Transaction) => (sql: string, values: unknown[]) => tx.$executeRawUnsafe(sql, ...values);

/** The outbox row of a saga message: a command on `radiata.orders` for its participant, or an event. */
export function outboxMessage(orderId: string, message: SagaMessage, now: Date): OutboxEvent {
  const headers = { [CORRELATION_HEADER]: orderId };
  if (message.kind === 'event') {
    return { exchange: SAGA_COMMAND_EXCHANGE, routingKey: message.routingKey, payload: message.payload, headers };
  }
  const command: SagaCommand<object> = {
    orderId,
    action: message.action,
    attempt: message.attempt,
    issuedAt: now.toISOString(),
    data: message.data,
  };
  return {
    exchange: SAGA_COMMAND_EXCHANGE,
    routingKey: commandRoutingKey(message.participant, message.action),
    payload: command,
    headers,
  };
}

/**
 * Runs the saga on stored orders: each input in one transaction that locks the order's row,
 * reads it, lets OrderSaga decide, and writes the decision (the row, its lines, the status
 * history and the messages through the outbox), with the inbox row of the message that caused
 * it. Two replicas (or a reply racing a timeout) take turns on the row lock, and the second sees
 * what the first decided: a decision is taken once.
 */
export class SagaStore {
  constructor(
    private readonly db: Database,
    private readonly saga: OrderSaga,
    private readonly now: () => Date,
    private readonly onStatusChange: StatusListener,
  ) {}

  async run(orderId: string, input: SagaInput, delivery?: Delivery): Promise<SagaRun> {
    const run = await this.db.$transaction(async (tx): Promise<SagaRun> => {
      if (delivery && !(await receiveOnce(execute(tx), delivery.consumer, delivery.messageId))) {
        return { kind: 'duplicate' };
      }
      const order = await this.lock(tx, orderId);
      if (!order) return { kind: 'unknown-order' };
      return this.decideAndWrite(tx, order, input);
    });
    if (run.kind === 'decided') this.notify(run.order, run.decision);
    return run;
  }

  /** Runs `input` on an order the caller locked (or created) in its own transaction `tx`. */
  async decideAndWrite(tx: Transaction, order: SagaOrder, input: SagaInput): Promise<SagaRun> {
    const now = this.now();
    const decision: SagaDecision | Ignored = this.saga.decide(order, input, now);
    if ('ignored' in decision) return { kind: 'ignored', order, why: decision.ignored };
    const written = await this.write(tx, order, decision, now);
    return { kind: 'decided', before: order, order: written, decision };
  }

  /** Tells live views of an order decided in a transaction the caller committed. */
  notify(order: SagaOrder, decision: SagaDecision): void {
    if (decision.changes.length > 0) this.onStatusChange(order);
  }

  /** The order with its lines, its row locked until the transaction ends; null if there is none. */
  async lock(tx: Transaction, orderId: string): Promise<SagaOrder | null> {
    const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM orders WHERE id = ${orderId}::uuid FOR UPDATE`;
    if (locked.length === 0) return null;
    return tx.order.findUniqueOrThrow({ where: { id: orderId }, include: { items: { orderBy: { line: 'asc' } } } });
  }

  /**
   * Records, in the transaction of a change of `order` (its row as written, version included), its
   * status changes (history rows and `orders.order.status-changed`) and `messages` (outbox). Every
   * status change of an order goes through here: placing (PENDING), the saga, shipping.
   */
  async record(
    tx: Transaction,
    order: Order,
    changes: readonly Transition[],
    now: Date,
    messages: readonly OutboxEvent[] = [],
  ): Promise<void> {
    if (changes.length > 0) {
      await tx.orderTransition.createMany({
        data: changes.map((change) => ({
          id: newId(),
          orderId: order.id,
          fromStatus: change.from,
          toStatus: change.to,
          reason: change.reason,
          at: now,
        })),
      });
    }
    const events = changes.length > 0 ? [...messages, orderStatusChanged(order, now)] : messages;
    if (events.length > 0) await enqueue(execute(tx), events);
  }

  private async write(tx: Transaction, order: SagaOrder, decision: SagaDecision, now: Date): Promise<SagaOrder> {
    const { patch, messages, changes } = decision;
    const row = await tx.order.update({
      where: { id: order.id },
      data: { ...patch.order, version: { increment: 1 }, updatedAt: now },
    });
    for (const [line, changes] of patch.items) {
      await tx.orderItem.update({ where: { orderId_line: { orderId: order.id, line } }, data: changes });
    }
    await this.record(
      tx,
      row,
      changes,
      now,
      messages.map((message) => outboxMessage(order.id, message, now)),
    );
    const items = order.items.map((item) => ({ ...item, ...patch.items.get(item.line) }));
    return { ...row, items };
  }
}
