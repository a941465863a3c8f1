import { HeaderMap } from '@apollo/server';
import type { Viewer } from '@radiata/auth-context';
import type { Logger } from '@radiata/observability';
import { consumeRateLimit, createRateLimiter, type Redis, retryAfterSeconds } from '@radiata/redis';
import { GraphQLError } from 'graphql';
import { Counter, type Registry } from 'prom-client';

export interface RequestLimitOptions {
  readonly redis: Redis;
  readonly keyPrefix: string;
  readonly points: number;
  readonly windowSeconds: number;
  readonly logger: Logger;
  readonly registry: Registry;
}

/**
 * The gateway's per-client request budget, shared by every replica through Redis: a signed-in
 * user's requests count against the user (wherever they come from), anonymous ones against the
 * client address. A client over its budget is answered from process memory until its window
 * ends (no Redis round trip). When Redis fails, each replica counts in its own memory
 * (createRateLimiter's insurance); should even that fail, the request goes through with a
 * warning: an outage of the limiter must not take the storefront down.
 */
export class RequestLimit {
  private readonly limiter;
  private readonly refused: Counter;

  constructor(private readonly options: RequestLimitOptions) {
    this.limiter = createRateLimiter(options.redis, options.keyPrefix, {
      name: 'gateway-requests',
      points: options.points,
      durationSeconds: options.windowSeconds,
      blockInMemory: true,
    });
    this.refused = new Counter({
      name: 'gateway_rate_limited_requests_total',
      help: 'Requests refused with HTTP 429 by the per-client request limit',
      labelNames: ['client'],
      registers: [options.registry],
    });
  }

  /**
   * Takes one request from the client's budget, or throws RATE_LIMITED (HTTP 429 with
   * Retry-After) for the context function to answer before anything is planned or fetched.
   */
  async take(viewer: Viewer | null, clientAddress: string | null): Promise<void> {
    const key = viewer ? `user:${viewer.id}` : `address:${clientAddress ?? 'unknown'}`;
    let decision: Awaited<ReturnType<typeof consumeRateLimit>>;
    try {
      decision = await consumeRateLimit(this.limiter, key);
    } catch (error) {
      this.options.logger.warn({ err: error }, 'request rate limit unavailable: request let through');
      return;
    }
    if (decision.allowed) return;
    this.refused.inc({ client: viewer ? 'user' : 'address' });
    const seconds = retryAfterSeconds(decision.retryAfterMs);
    throw new GraphQLError('Too many requests: try again later', {
      extensions: {
        code: 'RATE_LIMITED',
        retryAfterSeconds: seconds,
        http: { status: 429, headers: new HeaderMap([['retry-after', String(seconds)]]) },
      },
    });
  }
}
