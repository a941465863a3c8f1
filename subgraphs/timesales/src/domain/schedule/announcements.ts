import type { Logger } from '@radiata/observability';
import type { Redis } from 'ioredis';
import type { TransitionKind } from '../../messaging/timesales-events.js';
import type { TimesalesKeyspace } from '../../redis/keys.js';

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

/**
 * Told of every announced change in the process that made it, after it committed: exactly once
 * per change across replicas (where pub/sub would tell every replica).
 */
export interface AnnouncementObserver {
  changed(timeSaleId: string): Promise<void>;
  transitioned(announcements: readonly TransitionAnnouncement[]): Promise<void>;
  quantities(announcements: readonly QuantityAnnouncement[]): Promise<void>;
}

/**
 * Redis pub/sub announcements, made after the change they announce has committed. Pub/sub
 * delivers at most once: listeners that must not miss one also read the current state (the
 * scheduler polls; durable consumers use the outbox events instead). A failed publish is logged,
 * never thrown: the change itself has happened. Observers (see `observe`) are awaited after the
 * publish; their failures are logged the same way.
 */
export class SaleAnnouncements {
  private readonly observers: AnnouncementObserver[] = [];

  constructor(
    private readonly redis: Redis,
    private readonly keyspace: TimesalesKeyspace,
    private readonly logger: Logger,
  ) {}

  observe(observer: AnnouncementObserver): void {
    this.observers.push(observer);
  }

  async changed(timeSaleId: string): Promise<void> {
    const message: ChangeAnnouncement = { key: timeSaleId };
    await this.publish(this.keyspace.changesChannel, [message]);
    await this.tell('changed', (observer) => observer.changed(timeSaleId));
  }

  async transitioned(announcements: readonly TransitionAnnouncement[]): Promise<void> {
    await this.publish(this.keyspace.transitionsChannel, announcements);
    await this.tell('transitioned', (observer) => observer.transitioned(announcements));
  }

  async quantities(announcements: readonly QuantityAnnouncement[]): Promise<void> {
    await this.publish(this.keyspace.quantitiesChannel, announcements);
    await this.tell('quantities', (observer) => observer.quantities(announcements));
  }

  private async tell(what: string, call: (observer: AnnouncementObserver) => Promise<void>): Promise<void> {
    if (this.observers.length === 0) return;
    for (const observer of this.observers) {
      try {
        await call(observer);
      } catch (error) {
        this.logger.warn({ err: error, announcement: what }, 'an observer of a timesales announcement failed');
      }
    }
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
