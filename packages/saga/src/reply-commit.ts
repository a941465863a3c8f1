import { type CountingSqlExecutor, receiveOnce } from '@radiata/inbox';
import { CORRELATION_HEADER, enqueue } from '@radiata/outbox';
import type { SagaReply } from './envelope.js';
import type { SagaParticipantOptions } from './participant.js';

/** The reply to one command, as it goes into the participant's outbox. */
export interface SagaReplyMessage {
  readonly exchange: string;
  readonly routingKey: string;
  readonly payload: SagaReply<object>;
}

export interface SagaReplyCommit {
  /** The participant's command queue: its consumer name in the inbox. */
  readonly consumer: string;
  /** The command's AMQP messageId. */
  readonly messageId: string;
  readonly reply: SagaReplyMessage;
}

/**
 * Records, in ONE transaction of the participant's database, that the command was received
 * (`receiveOnce`) and its reply (`enqueue` into the outbox). False when the inbox already had
 * the command: its reply is committed already and nothing was written.
 */
export type SagaCommit = (commit: SagaReplyCommit) => Promise<boolean>;

/**
 * Runs `work` in one transaction of the participant's database, handing it an executor bound
 * to that transaction that resolves with the rows a statement changed. With Prisma:
 * `(work) => db.$transaction((tx) => work((sql, values) => tx.$executeRawUnsafe(sql, ...values)))`.
 */
export type InTransaction = <T>(work: (execute: CountingSqlExecutor) => Promise<T>) => Promise<T>;

/** The usual SagaCommit: `receiveOnce` and `enqueue` of the reply in one transaction of `inTransaction`. */
export const sagaReplyCommitter =
  (inTransaction: InTransaction): SagaCommit =>
  ({ consumer, messageId, reply }) =>
    inTransaction(async (execute) => {
      if (!(await receiveOnce(execute, consumer, messageId))) return false;
      await enqueue(execute, [{ ...reply, headers: { [CORRELATION_HEADER]: reply.payload.orderId } }]);
      return true;
    });

/**
 * Whether the inbox already has a command (read only, outside any transaction): lets a
 * participant skip the effect of a redelivered command entirely. `execute` must resolve with the
 * number of rows a SELECT returns, as pg's `rowCount` and Prisma's `$executeRawUnsafe` (whose
 * PostgreSQL adapter answers pg's rowCount) do: `(sql, values) => db.$executeRawUnsafe(sql, ...values)`.
 */
export const inboxLookup =
  (execute: CountingSqlExecutor) =>
  async (consumer: string, messageId: string): Promise<boolean> =>
    (await execute('SELECT 1 FROM inbox_messages WHERE consumer = $1 AND message_id = $2', [consumer, messageId])) > 0;

/** A database client that runs raw SQL and interactive transactions, as Prisma's does. */
export interface SqlClient {
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
}
export interface TransactionalSqlClient extends SqlClient {
  $transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T>;
}

/**
 * The participant's inbox and reply outbox on its Prisma client: `commit` (the inbox row and the
 * reply in one transaction) and `alreadyCommitted` (the read-only inbox check), for
 * `startSagaParticipant({ ...sagaInboxOn(db), … })`.
 */
export function sagaInboxOn(
  db: TransactionalSqlClient,
): Pick<SagaParticipantOptions<unknown>, 'commit' | 'alreadyCommitted'> {
  const inTransaction: InTransaction = (work) =>
    db.$transaction((tx) => work((sql, values) => tx.$executeRawUnsafe(sql, ...values)));
  return {
    commit: sagaReplyCommitter(inTransaction),
    alreadyCommitted: inboxLookup((sql, values) => db.$executeRawUnsafe(sql, ...values)),
  };
}
