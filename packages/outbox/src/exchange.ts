import type { Rabbit } from '@radiata/rabbitmq';

/** Declares a durable topic exchange now and after every reconnection. */
export const declareTopicExchange = (rabbit: Rabbit, name: string): Promise<void> =>
  rabbit.onConnected(async (channel) => {
    await channel.assertExchange(name, 'topic', { durable: true });
  });
