import { maskError, serviceUnavailable } from '@radiata/errors';
import type { GraphQLFormattedError } from 'graphql';

/** What a client is told to wait before retrying after a transient infrastructure failure. */
export const TRANSIENT_RETRY_AFTER_SECONDS = 1;

/**
 * Prisma: P1001 database unreachable, P1002 timed out reaching it, P1008 operation timed out,
 * P1017 server closed the connection, P2024 timed out waiting for a pool connection, P2028
 * transaction API error (could not start one within maxWait, or it expired), P2034 write
 * conflict or deadlock ("please retry").
 */
const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2028', 'P2034']);

/** Socket errors (Node) of PostgreSQL, Redis or RabbitMQ connections. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * PostgreSQL SQLSTATEs a retry can cure: class 08 (connection exception), 40001 serialization
 * failure, 40P01 deadlock, 53300 too many connections, 57P01–57P03 shutdown / cannot connect now.
 */
const SQLSTATE = /^(08...|40001|40P01|53300|57P0[123])$/;

/**
 * Messages of errors that carry no code: pg's pool ("timeout exceeded when trying to connect",
 * "Connection terminated …") and ioredis while disconnected ("Stream isn't writeable and
 * enableOfflineQueue options is false", "Connection is closed.") or giving up on a command.
 */
const MESSAGES = [
  /^timeout exceeded when trying to connect/,
  /^Connection terminated/,
  /^Stream isn't writeable/,
  /^Connection is closed\.?$/,
  /^Reached the max retries per request limit/,
];

interface ErrorLike {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly message?: unknown;
  readonly originalError?: unknown;
  readonly cause?: unknown;
}

function isTransient(error: ErrorLike): boolean {
  const { code, message, name } = error;
  if (typeof code === 'string' && (PRISMA_CODES.has(code) || SOCKET_CODES.has(code) || SQLSTATE.test(code))) {
    return true;
  }
  if (name === 'MaxRetriesPerRequestError') return true;
  return typeof message === 'string' && MESSAGES.some((pattern) => pattern.test(message));
}

/**
 * The transient infrastructure failure behind `error` (a database pool or transaction-start
 * timeout, the database or Redis unreachable or dropping the connection), looked for through
 * GraphQL's `originalError` and `cause` chains; undefined for anything else (bugs stay internal).
 */
export function transientFailure(error: unknown): Error | undefined {
  let found: Error | undefined;
  let current: unknown = error;
  // The innermost match is the real cause (a GraphQLError repeats its original error's message).
  for (let depth = 0; depth < 6 && typeof current === 'object' && current !== null; depth += 1) {
    const candidate = current as ErrorLike;
    if (isTransient(candidate)) found = current instanceof Error ? current : new Error(String(candidate.message));
    current = candidate.originalError ?? candidate.cause;
  }
  return found;
}

/**
 * What a client sees of an error (formatError of the gateway and of every subgraph, and graphql-ws): a
 * transient failure becomes the retryable SERVICE_UNAVAILABLE with `retryAfterSeconds`; the
 * rest goes through maskError. The real cause is logged (as a warning) by the operation plugin.
 */
export function formatPublicError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  if (!transientFailure(error)) return maskError(formatted);
  const unavailable = serviceUnavailable(TRANSIENT_RETRY_AFTER_SECONDS);
  return maskError({
    message: unavailable.message,
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions: unavailable.extensions,
  });
}
