import { type RevocationKeyspace, revocationTtlMs } from '@radiata/auth-context';
import { serviceUnavailable } from '@radiata/errors';
import type { Logger } from '@radiata/observability';
import type { Redis } from '@radiata/redis';

// Keeps the later of the stored and the given not-before: two admins changing a role at once
// must not move it back. KEYS[1] not-before; ARGV[1] epoch ms, ARGV[2] TTL ms.
const RAISE_NOT_BEFORE = `
local current = tonumber(redis.call('GET', KEYS[1]))
if current == nil or current < tonumber(ARGV[1]) then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
else
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 1
`;

/**
 * Access-token revocations, written where the gateway reads them (RevocationKeyspace). Each
 * entry expires once every access token it refuses has expired. A write that fails is a
 * retryable SERVICE_UNAVAILABLE: the operation that needed it must not report success.
 */
export class TokenRevocations {
  private readonly ttlMs: number;

  constructor(
    private readonly redis: Redis,
    private readonly keys: RevocationKeyspace,
    accessTokenTtlSeconds: number,
    private readonly logger: Logger,
  ) {
    this.ttlMs = revocationTtlMs(accessTokenTtlSeconds);
  }

  /** The session's access tokens are refused from now on. */
  endSession(userId: string, sessionId: string, at: Date): Promise<void> {
    return this.record(userId, () =>
      this.redis.set(this.keys.revokedSession(userId, sessionId), String(at.getTime()), 'PX', this.ttlMs),
    );
  }

  /** The user's access tokens issued before `at` are refused (role changed, account deleted). */
  refuseIssuedBefore(userId: string, at: Date): Promise<void> {
    return this.record(userId, () =>
      this.redis.eval(RAISE_NOT_BEFORE, 1, this.keys.notBefore(userId), String(at.getTime()), String(this.ttlMs)),
    );
  }

  private async record(userId: string, write: () => Promise<unknown>): Promise<void> {
    try {
      await write();
    } catch (error) {
      this.logger.error({ err: error, userId }, 'could not record a token revocation');
      throw serviceUnavailable(RETRY_AFTER_SECONDS, 'Sessions are unavailable right now: try again shortly');
    }
  }
}

const RETRY_AFTER_SECONDS = 2;
