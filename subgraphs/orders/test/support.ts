import type { Viewer } from '@radiata/auth-context';
import { connectRabbit, type Rabbit } from '@radiata/rabbitmq';
import { participantExchange, replyRoutingKey, type SagaCommand } from '@radiata/saga';
import { newId } from '@radiata/service-runtime';
import {
  type HeardMessage,
  overhear,
  startTestSubgraph,
  type TestSubgraph,
  type TestSubgraphOptions,
  testLogger,
} from '@radiata/testing';
import { ordersSubgraph } from '../src/subgraph.js';

export type RunningOrders = Awaited<ReturnType<typeof ordersSubgraph.start>>;

/** A saga command as it reached the broker. */
export interface SentCommand {
  readonly routingKey: string;
  readonly messageId: string;
  readonly command: SagaCommand<Record<string, unknown>>;
}

export interface OrdersStack extends TestSubgraph<RunningOrders> {
  /** Everything orders published on radiata.orders, in arrival order. */
  readonly published: HeardMessage[];
  /** Publishes as a participant (or payments) would, through its exchange. */
  publish(exchange: string, routingKey: string, payload: object, messageId?: string): Promise<string>;
  /** Answers a command as its participant would: `<participant>.saga.<result>` on `radiata.<participant>`. */
  answer(
    command: SentCommand,
    result: string,
    outcome: 'DONE' | 'REFUSED',
    data?: object,
    reason?: string,
  ): Promise<string>;
}

/**
 * The orders subgraph alone, on a fresh database and its own Redis and RabbitMQ namespace, with a
 * test connection on the same broker that records what orders publishes and answers for the
 * participants (the real participants answer in the whole-graph tests).
 */
export async function startOrders(options: TestSubgraphOptions = {}): Promise<OrdersStack> {
  const test = await startTestSubgraph(ordersSubgraph, options);
  const broker: Rabbit = await connectRabbit({
    url: process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672',
    name: 'orders-test',
    logger: testLogger('orders-test-broker'),
    namespace: test.namespace.rabbitmq,
  });
  const published = await overhear(broker, 'radiata.orders', 'orders.#');
  const publish = async (exchange: string, routingKey: string, payload: object, messageId = newId()) => {
    await broker.publish(exchange, routingKey, payload, { messageId });
    return messageId;
  };
  return {
    ...test,
    published,
    publish,
    answer: (sent, result, outcome, data = {}, reason) => {
      const participant = sent.routingKey.split('.')[2] as string;
      return publish(participantExchange(participant), replyRoutingKey(participant, result), {
        orderId: sent.command.orderId,
        action: sent.command.action,
        attempt: sent.command.attempt,
        outcome,
        ...(reason ? { reason } : {}),
        data,
        occurredAt: new Date().toISOString(),
      });
    },
    async stop() {
      await broker.close();
      await test.stop();
    },
  };
}

export const customer = (): Viewer => ({ id: newId(), role: 'CUSTOMER' });
export const seller = (): Viewer => ({ id: newId(), role: 'SELLER' });
export const admin: Viewer = { id: newId(), role: 'ADMIN' };

export const ADDRESS = {
  recipient: 'Kim Radiata',
  phone: '010-1234-5678',
  zipCode: '06236',
  roadAddress: '152 Teheran-ro, Gangnam-gu, Seoul',
  detailAddress: '12F',
};
