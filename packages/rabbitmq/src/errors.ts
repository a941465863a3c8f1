export type PublishFailure = 'unavailable' | 'channel-closed' | 'nacked' | 'unroutable' | 'timeout';

/**
 * A publish the broker did not confirm. The message may or may not have been routed (after a
 * timeout or a dropped channel nobody knows), so the caller retries with the same messageId
 * and consumers deduplicate by it.
 */
export class PublishError extends Error {
  constructor(
    readonly reason: PublishFailure,
    readonly messageId: string,
    readonly exchange: string,
    readonly routingKey: string,
    detail: string,
    options?: ErrorOptions,
  ) {
    super(
      `Publish of message ${messageId} to exchange "${exchange}" (routing key "${routingKey}") failed: ${detail}`,
      options,
    );
    this.name = 'PublishError';
  }
}

/**
 * Thrown by a message handler: the message is rejected without requeue, so it goes to the
 * queue's dead-letter exchange (or is dropped when the queue has none). For messages no retry
 * can fix: unreadable, or refused by the domain for good.
 */
export class RejectMessage extends Error {
  override readonly name = 'RejectMessage';
}
