import type { ApolloServerPlugin } from '@apollo/server';
import { isRevoked, RevocationKeyspace, type VerifiedAccessToken } from '@radiata/auth-context';
import type { Logger } from '@radiata/observability';
import type { Redis } from '@radiata/redis';
import { GraphQLError } from 'graphql';
import { Counter, type Registry } from 'prom-client';
import type { GatewayContext } from './context.js';

/** valid: the session is live; revoked: refuse the token; unknown: Redis could not say. */
export type SessionStatus = 'valid' | 'revoked' | 'unknown';

const WARN_EVERY_MS = 10_000;
const RETRY_AFTER_SECONDS = 2;

export interface SessionCheckOptions {
  readonly redis: Redis;
  readonly keyPrefix: string;
  /** Past this, Redis is treated as unreachable: a hung Redis must not hang every request. */
  readonly timeoutMs: number;
  readonly logger: Logger;
  readonly registry: Registry;
}

/**
 * Whether a verified access token's session still stands: one MGET of the revocations the users
 * subgraph writes (log-out, refresh-token reuse, role change, account deletion; keys in
 * @radiata/auth-context). Runs on every authenticated request, so a revoked token reads nothing
 * either; when Redis cannot answer, reads go on (fail open) and writes are refused (see
 * sessionCheckPlugin).
 */
export class SessionCheck {
  private readonly keys: RevocationKeyspace;
  private readonly checks: Counter<'outcome'>;
  private lastWarnedAt = 0;

  constructor(private readonly options: SessionCheckOptions) {
    this.keys = new RevocationKeyspace(options.keyPrefix);
    this.checks = new Counter({
      name: 'gateway_session_checks_total',
      help: 'Access-token session checks by outcome (valid, revoked, unknown: Redis did not answer)',
      labelNames: ['outcome'],
      registers: [options.registry],
    });
  }

  async status(token: VerifiedAccessToken): Promise<SessionStatus> {
    let status: SessionStatus;
    try {
      const values = await this.withTimeout(this.options.redis.mget(...this.keys.keysOf(token)));
      status = isRevoked(token, values) ? 'revoked' : 'valid';
    } catch (error) {
      status = 'unknown';
      const now = Date.now();
      if (now - this.lastWarnedAt >= WARN_EVERY_MS) {
        this.lastWarnedAt = now;
        this.options.logger.warn({ err: error }, 'session check failed: reads go on, writes are refused');
      }
    }
    this.checks.inc({ outcome: status });
    return status;
  }

  private withTimeout<T>(pending: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('session check timed out')), this.options.timeoutMs);
    });
    return Promise.race([pending, timeout]).finally(() => clearTimeout(timer));
  }
}

/** The 401 for a token whose session was ended or whose user changed role or was deleted. */
export const sessionEnded = (): GraphQLError =>
  new GraphQLError('Session ended; sign in again', {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
  });

/**
 * Refuses mutations (and subscriptions) whose token could not be checked: a write must never
 * act for a session that may have ended. Queries go on: a read is at worst what the token
 * could read until it expires (at most its 15 minutes).
 */
export function sessionCheckPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, contextValue }) {
          if (!contextValue.sessionUnchecked || !operation || operation.operation === 'query') return;
          throw new GraphQLError('Sign-in could not be checked right now: try again shortly', {
            extensions: {
              code: 'SERVICE_UNAVAILABLE',
              retryAfterSeconds: RETRY_AFTER_SECONDS,
              http: { status: 503, headers: new Map([['retry-after', String(RETRY_AFTER_SECONDS)]]) },
            },
          });
        },
      };
    },
  };
}
