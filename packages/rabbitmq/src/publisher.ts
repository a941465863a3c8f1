import type { Logger } from '@radiata/observability';
import type { ChannelModel, ConfirmChannel, Options } from 'amqplib';
import { PublishError } from './errors.js';

/** Every message is persistent and carries the id consumers deduplicate by. */
export type PublishOptions = Omit<Options.Publish, 'messageId' | 'persistent' | 'deliveryMode'> & {
  readonly messageId: string;
};

interface OpenChannel {
  readonly channel: ConfirmChannel;
  /** Why the broker closed the channel; its 'error' event comes before the confirms fail. */
  closeReason?: Error;
  /** Message ids the broker returned as unroutable (basic.return arrives before the ack). */
  readonly returned: Set<string>;
}

/** Publishes over one confirm channel of one connection, opened on first use and after a channel error. */
export class ConfirmPublisher {
  #open: Promise<OpenChannel> | undefined;

  constructor(
    private readonly model: ChannelModel,
    private readonly log: Logger,
    private readonly timeoutMs: number,
  ) {}

  publish(exchange: string, routingKey: string, content: Buffer, options: PublishOptions): Promise<void> {
    const { messageId } = options;
    const fail = (reason: PublishError['reason'], detail: string, cause?: unknown) =>
      new PublishError(reason, messageId, exchange, routingKey, detail, cause === undefined ? undefined : { cause });

    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const settle = (error?: PublishError) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error) reject(error);
        else resolve();
      };
      // Covers opening the channel too: on a connection that died silently that hangs as well.
      const timer = setTimeout(
        () => settle(fail('timeout', `no confirm from the broker within ${this.timeoutMs} ms`)),
        this.timeoutMs,
      );
      const confirmed = (open: OpenChannel) => (error: Error | null) => {
        if (!error) {
          const returned = open.returned.delete(messageId);
          settle(returned ? fail('unroutable', 'no queue is bound for this routing key (mandatory)') : undefined);
        } else if (error.message === 'message nacked') {
          settle(fail('nacked', 'the broker nacked it'));
        } else {
          const cause = open.closeReason ?? error;
          settle(fail('channel-closed', cause.message, cause));
        }
      };
      this.#channel().then(
        (open) => {
          try {
            open.channel.publish(exchange, routingKey, content, { ...options, persistent: true }, confirmed(open));
          } catch (error) {
            // amqplib throws synchronously when the channel is already closed.
            settle(fail('channel-closed', (error as Error).message, error));
          }
        },
        (error: Error) => settle(fail('unavailable', `could not open a channel: ${error.message}`, error)),
      );
    });
  }

  #channel(): Promise<OpenChannel> {
    if (!this.#open) {
      const opening = this.model.createConfirmChannel().then((channel) => {
        const open: OpenChannel = { channel, returned: new Set() };
        channel.on('error', (error: Error) => {
          open.closeReason = error;
          this.log.warn({ err: error }, 'rabbitmq publish channel closed by the broker');
        });
        channel.on('return', (message: { properties: { messageId?: string } }) => {
          if (message.properties.messageId) open.returned.add(message.properties.messageId);
        });
        channel.on('close', () => {
          if (this.#open === opening) this.#open = undefined;
        });
        return open;
      });
      opening.catch(() => {
        if (this.#open === opening) this.#open = undefined;
      });
      this.#open = opening;
    }
    return this.#open;
  }
}
