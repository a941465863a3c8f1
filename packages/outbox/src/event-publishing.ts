import type { Logger } from '@radiata/observability';
import { connectRabbit, type Rabbit } from '@radiata/rabbitmq';
import type { Registry } from 'prom-client';
import { declareTopicExchange } from './exchange.js';
import { type OutboxRelay, startOutboxRelay } from './relay.js';

export interface EventPublishingOptions {
  /** The service: names its RabbitMQ connection. */
  readonly name: string;
  readonly rabbitmqUrl: string;
  /** The service's own topic exchange, declared durable. */
  readonly exchange: string;
  /** Prefix of every exchange and queue name on the connection (see RabbitOptions.namespace). */
  readonly namespace?: string;
  /** The service's database, whose outbox the relay publishes. */
  readonly databaseUrl: string;
  readonly logger: Logger;
  readonly pollIntervalMs?: number;
  readonly registry?: Registry;
}

export interface EventPublishing {
  /** The connection, for consumers and readiness. */
  readonly rabbit: Rabbit;
  readonly relay: OutboxRelay;
  /** Stops the relay (finishing its batch), then closes the connection. */
  stop(): Promise<void>;
}

/**
 * What every service that publishes domain events runs: a RabbitMQ connection, its topic
 * exchange, and the relay that publishes the service's committed outbox rows.
 */
export async function startEventPublishing(options: EventPublishingOptions): Promise<EventPublishing> {
  const rabbit = await connectRabbit({
    url: options.rabbitmqUrl,
    name: options.name,
    logger: options.logger,
    ...(options.namespace ? { namespace: options.namespace } : {}),
  });
  try {
    await declareTopicExchange(rabbit, options.exchange);
    const relay = await startOutboxRelay({
      databaseUrl: options.databaseUrl,
      rabbit,
      logger: options.logger,
      ...(options.pollIntervalMs ? { pollIntervalMs: options.pollIntervalMs } : {}),
      ...(options.registry ? { registry: options.registry } : {}),
    });
    return {
      rabbit,
      relay,
      stop: async () => {
        await relay.stop();
        await rabbit.close();
      },
    };
  } catch (error) {
    await rabbit.close();
    throw error;
  }
}
