import { type EventConsumerOptions, type InboxEvent, startEventConsumer } from '@radiata/inbox';
import { failpoint, type Logger } from '@radiata/observability';
import type { z } from 'zod';
import { type SagaCommand, type SagaReply, sagaCommandSchema } from './envelope.js';
import {
  checkSegment,
  commandQueueOf,
  commandRoutingKey,
  participantExchange,
  replyRoutingKey,
  SAGA_COMMAND_EXCHANGE,
} from './names.js';
import type { SagaCommit, SagaReplyMessage } from './reply-commit.js';

/** What a participant's handler decided. A refusal says why (e.g. OUT_OF_STOCK). */
export type SagaOutcome =
  | { readonly outcome: 'DONE'; readonly data: object }
  | { readonly outcome: 'REFUSED'; readonly reason: string; readonly data?: object };

export interface SagaAction<T> {
  /** Reads the command's `data`; a command it refuses is dead-lettered. */
  readonly data: z.ZodType<T>;
  /** The reply's routing-key suffix: `<participant>.saga.<result>`, e.g. `reserved`. */
  readonly result: string;
  /**
   * Applies the command with the participant's domain service, which must be idempotent per
   * order: a redelivered or resent command runs it again and must get the same outcome without
   * a second effect. Throw to retry (the database is down); the reply is committed afterwards.
   * `log` carries the orderId, action, attempt and messageId.
   */
  readonly handle: (command: SagaCommand<T>, log: Logger) => Promise<SagaOutcome>;
}

export interface SagaParticipantOptions<A>
  extends Pick<EventConsumerOptions, 'rabbit' | 'logger' | 'registry' | 'deliveryLimit' | 'retry'> {
  /** e.g. `catalog`: names the queue, the routing keys and the exchange replies go to. */
  readonly participant: string;
  /** The actions this participant answers, by name (`reserve`, `release`…). */
  readonly actions: { readonly [K in keyof A]: SagaAction<A[K]> };
  /** Commits the inbox row and the reply together (`sagaReplyCommitter`). */
  readonly commit: SagaCommit;
  /**
   * Optional read-only inbox check (`inboxLookup`): a command already answered is acknowledged
   * without running its handler again. Without it a redelivery runs the (idempotent) handler
   * and `commit` drops the duplicate reply.
   */
  readonly alreadyCommitted?: (consumer: string, messageId: string) => Promise<boolean>;
  /** Errors of a handler no retry can fix: dead-lettered at once (default: none). */
  readonly isPermanent?: (error: unknown) => boolean;
  /** Stamps `occurredAt` on replies. Default: the system clock. */
  readonly clock?: { now(): Date };
}

/** A command that can never be applied (unknown action, malformed envelope or data): dead-lettered. */
export class InvalidSagaCommand extends Error {
  override readonly name = 'InvalidSagaCommand';
}

/** The order a message names, even when the rest of it is malformed: for the log. */
const claimedOrderId = (payload: unknown): string | undefined => {
  const value = (payload as { orderId?: unknown } | null)?.orderId;
  return typeof value === 'string' ? value.slice(0, 64) : undefined;
};

/**
 * Answers the saga commands orders sends `participant` (docs/ARCHITECTURE.md, "Order saga"):
 * consumes `<participant>.saga-commands` (a quorum queue bound to `radiata.orders` with
 * `orders.saga.<participant>.*`, through `startEventConsumer`: delivery limit, dead letters, the
 * `radiata_dead_letters` gauge with `registry`). Per command:
 * 1. reads it: an unknown action, a malformed envelope or data is dead-lettered at once;
 * 2. skips it when `alreadyCommitted` says it was answered;
 * 3. runs the action's `handle` (idempotent per order, so a redelivery is safe);
 * 4. `commit`s the inbox row and the reply (`<participant>.saga.<result>` on `radiata.<participant>`)
 *    in one transaction; a duplicate (false) sends nothing again.
 * A failure in 3 or 4 is retried with a growing delay, then dead-lettered after the delivery limit.
 * Every log line about a command carries its orderId.
 */
export async function startSagaParticipant<A>(options: SagaParticipantOptions<A>): Promise<void> {
  const { participant, commit } = options;
  checkSegment('participant', participant);
  const actions = new Map<string, SagaAction<unknown>>(Object.entries(options.actions));
  for (const [name, action] of actions) {
    checkSegment('action', name);
    checkSegment('result', action.result);
  }
  const queue = commandQueueOf(participant);
  const exchange = participantExchange(participant);
  const prefix = commandRoutingKey(participant, '');
  const clock = options.clock ?? { now: () => new Date() };
  const isPermanent = options.isPermanent ?? (() => false);
  const log = options.logger.child({ component: 'saga-participant', participant });

  /** The action's name and its command; InvalidSagaCommand when either cannot be read. */
  const read = (event: InboxEvent, name: string) => {
    const action = actions.get(name);
    if (!action) throw new InvalidSagaCommand(`${participant} has no action ${name}`);
    const parsed = sagaCommandSchema(action.data).safeParse(event.payload);
    if (!parsed.success) throw new InvalidSagaCommand(`${event.routingKey}: ${parsed.error.message}`);
    if (parsed.data.action !== name) {
      throw new InvalidSagaCommand(`${event.routingKey} carries a command for ${parsed.data.action}`);
    }
    return { action, command: parsed.data };
  };

  const answer = async (event: InboxEvent, action: SagaAction<unknown>, command: SagaCommand<unknown>, log: Logger) => {
    if (await options.alreadyCommitted?.(queue, event.messageId)) {
      log.debug('saga command already answered: skipped');
      return;
    }
    const outcome = await action.handle(command, log);
    // Crash tests: the effect is committed, its reply not yet.
    failpoint('saga.participant.after-handle');
    const payload: SagaReply<object> = {
      orderId: command.orderId,
      action: command.action,
      attempt: command.attempt,
      outcome: outcome.outcome,
      ...(outcome.outcome === 'REFUSED' ? { reason: outcome.reason } : {}),
      data: outcome.data ?? {},
      occurredAt: clock.now().toISOString(),
    };
    const reply: SagaReplyMessage = { exchange, routingKey: replyRoutingKey(participant, action.result), payload };
    const committed = await commit({ consumer: queue, messageId: event.messageId, reply });
    // Crash tests: the reply is committed, the command not yet acknowledged.
    failpoint('saga.participant.after-commit');
    const context = { outcome: outcome.outcome, reason: payload.reason, replyRoutingKey: reply.routingKey };
    if (committed) log.info(context, 'saga command answered');
    else log.info(context, 'saga command already answered: its reply is not sent again');
  };

  await startEventConsumer({
    rabbit: options.rabbit,
    queue,
    bindings: [{ exchange: SAGA_COMMAND_EXCHANGE, routingKeys: [commandRoutingKey(participant, '*')] }],
    logger: options.logger,
    registry: options.registry,
    deliveryLimit: options.deliveryLimit,
    retry: options.retry,
    isPermanent: (error) => error instanceof InvalidSagaCommand || isPermanent(error),
    handle: async (event) => {
      // The binding guarantees the prefix, and a replay keeps the original routing key.
      const name = event.routingKey.startsWith(prefix) ? event.routingKey.slice(prefix.length) : event.routingKey;
      let messageLog = log.child({ orderId: claimedOrderId(event.payload), action: name, messageId: event.messageId });
      try {
        const { action, command } = read(event, name);
        messageLog = messageLog.child({ attempt: command.attempt });
        await answer(event, action, command, messageLog);
      } catch (error) {
        // startEventConsumer logs the retry or the dead letter too, by messageId but without the order.
        if (error instanceof InvalidSagaCommand || isPermanent(error)) {
          messageLog.error({ err: error }, 'saga command refused for good: dead-lettered');
        } else {
          messageLog.warn({ err: error }, 'saga command failed: it will be retried');
        }
        throw error;
      }
    },
  });
}
