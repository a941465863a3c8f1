import type { Rabbit } from '@radiata/rabbitmq';

/** Declares a durable topic exchange (in the connection's namespace) now and after every reconnection. */
export const declareTopicExchange = (rabbit: Rabbit, name: string): Promise<void> =>
  rabbit.onConnected(async (channel) => {
    await channel.assertExchange(rabbit.name(name, 'exchange'), 'topic', { durable: true });
  });
