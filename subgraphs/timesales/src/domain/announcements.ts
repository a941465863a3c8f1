import type { Logger } from '@radiata/observability';
import type { Redis } from 'ioredis';
import type { TimesalesKeyspace } from '../redis/keys.js';
import type { ChangeAnnouncement, QuantityAnnouncement, TransitionAnnouncement } from './events.js';

/**
 * Redis pub/sub announcements, made after the change they announce has committed. Pub/sub
 * delivers at most once: listeners that must not miss one also read the current state (the
 * scheduler polls; durable consumers use the outbox events instead). A failed publish is logged,
 * never thrown: the change itself has happened.
 */
export class SaleAnnouncements {
  constructor(
    private readonly redis: Redis,
    private readonly keyspace: TimesalesKeyspace,
    private readonly logger: Logger,
  ) {}

  changed(timeSaleId: string): Promise<void> {
    const message: ChangeAnnouncement = { key: timeSaleId };
    return this.publish(this.keyspace.changesChannel, [message]);
  }

  transitioned(announcements: readonly TransitionAnnouncement[]): Promise<void> {
    return this.publish(this.keyspace.transitionsChannel, announcements);
  }

  quantities(announcements: readonly QuantityAnnouncement[]): Promise<void> {
    return this.publish(this.keyspace.quantitiesChannel, announcements);
  }

  private async publish(channel: string, messages: readonly object[]): Promise<void> {
    if (messages.length === 0) return;
    try {
      const pipeline = this.redis.pipeline();
      for (const message of messages) pipeline.publish(channel, JSON.stringify(message));
      await pipeline.exec();
    } catch (error) {
      this.logger.warn({ err: error, channel }, 'publishing a timesales announcement failed');
    }
  }
}
