import { GraphQLError } from 'graphql';

/**
 * Codes whose message is written for clients. Anything else reaching a client is
 * masked as INTERNAL_SERVER_ERROR (see maskError).
 */
export const PUBLIC_ERROR_CODES = new Set([
  'BAD_USER_INPUT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'RATE_LIMITED',
  'SERVICE_UNAVAILABLE',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

export interface FieldProblem {
  /** Input path, e.g. "input.email". */
  readonly field: string;
  readonly message: string;
}

const coded = (code: string, message: string, extra: Record<string, unknown> = {}) =>
  new GraphQLError(message, { extensions: { code, ...extra } });

export const badUserInput = (message: string, problems: readonly FieldProblem[] = []) =>
  coded('BAD_USER_INPUT', message, problems.length > 0 ? { problems } : {});
export const unauthenticated = (message = 'Authentication required') => coded('UNAUTHENTICATED', message);
/** `extensions` say more to clients that act on it (e.g. `{ reason: 'WALLET_LOCKED', lockedUntil }`). */
export const forbidden = (message = 'You are not allowed to do this', extensions: Record<string, unknown> = {}) =>
  coded('FORBIDDEN', message, extensions);
/** `message` says more when a client can act on it (e.g. an address saved a moment ago, not known here yet). */
export const notFound = (what: string, message = `${what} not found`) => coded('NOT_FOUND', message);
/** `extensions` say why, for clients that act on it (e.g. `{ reasons: [{ code: 'WALLET_BALANCE', amount }] }`). */
export const conflict = (message: string, extensions: Record<string, unknown> = {}) =>
  coded('CONFLICT', message, extensions);
/** Too many attempts: `retryAfterSeconds` (whole seconds, at least 1) says when to try again. */
export const rateLimited = (retryAfterSeconds: number, message = 'Too many requests: try again later') =>
  coded('RATE_LIMITED', message, { retryAfterSeconds });
/** A dependency is down for a moment and nothing was done: retry after `retryAfterSeconds`. */
export const serviceUnavailable = (retryAfterSeconds: number, message = 'Temporarily unavailable: try again shortly') =>
  coded('SERVICE_UNAVAILABLE', message, { retryAfterSeconds });
