import { GraphQLError } from 'graphql';
import { formatPublicError, transientFailure } from '../src/index.js';

const prismaError = (code: string, message: string) => Object.assign(new Error(message), { code });
const fromResolver = (cause: unknown) =>
  new GraphQLError(cause instanceof Error ? cause.message : 'x', {
    path: ['adjustStock'],
    originalError: cause as Error,
  });

describe('transient infrastructure failures', () => {
  it.each([
    ['a pool timeout (P2024)', prismaError('P2024', 'Timed out fetching a new connection from the connection pool')],
    [
      'a transaction that could not start (P2028)',
      prismaError('P2028', 'Unable to start a transaction in the given time'),
    ],
    ['a write conflict or deadlock (P2034)', prismaError('P2034', 'Transaction failed due to a write conflict')],
    ['the database unreachable (P1001)', prismaError('P1001', "Can't reach database server")],
    ["pg's pool timeout", new Error('timeout exceeded when trying to connect')],
    ['a dropped PostgreSQL connection', new Error('Connection terminated unexpectedly')],
    ['a PostgreSQL shutdown (57P01)', prismaError('57P01', 'terminating connection due to administrator command')],
    [
      'Redis away with the offline queue off',
      new Error("Stream isn't writeable and enableOfflineQueue options is false"),
    ],
    ['a Redis connection closed', new Error('Connection is closed.')],
    [
      'a Redis command out of retries',
      Object.assign(new Error('Reached the max retries per request limit (which is 1).'), {
        name: 'MaxRetriesPerRequestError',
      }),
    ],
    ['a reset socket', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })],
  ])('maps %s to SERVICE_UNAVAILABLE with retryAfterSeconds, keeping nothing of the cause', (_name, cause) => {
    const error = fromResolver(new Error('wrapped', { cause }));
    expect(transientFailure(error)).toBe(cause);
    const formatted = formatPublicError(error.toJSON(), error);
    expect(formatted).toEqual({
      message: expect.any(String),
      path: ['adjustStock'],
      extensions: { code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: 1 },
    });
    expect(JSON.stringify(formatted)).not.toContain(cause.message);
  });

  it.each([
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['a unique violation (P2002)', prismaError('P2002', 'Unique constraint failed')],
    [
      'an invalid value reaching PostgreSQL (22021)',
      prismaError('22021', 'invalid byte sequence for encoding "UTF8": 0x00'),
    ],
    ['a message that only mentions a socket error', new Error('connect ECONNREFUSED 10.0.0.8:5432')],
  ])('leaves %s internal', (_name, cause) => {
    const error = fromResolver(cause);
    expect(transientFailure(error)).toBeUndefined();
    expect(formatPublicError(error.toJSON(), error)).toEqual({
      message: 'Internal server error',
      path: ['adjustStock'],
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });

  it('keeps public errors as they are', () => {
    const error = new GraphQLError('delta: the stock is 0', { extensions: { code: 'BAD_USER_INPUT' } });
    expect(formatPublicError(error.toJSON(), error)).toEqual({
      message: 'delta: the stock is 0',
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });
});
