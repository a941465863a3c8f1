import type { Role } from '@radiata/auth-context';
import type { Clock } from '@radiata/service-runtime';
import { recordRoleChanged } from '../messaging/users-events.js';
import type { Transaction } from '../persistence/database.js';
import type { TokenRevocations } from '../persistence/revocations.js';
import type { UserRecord } from './users.js';

/**
 * Runs a change that makes the user's current access tokens wrong, refusing them before and
 * after it: before, so a failure to record it leaves the change undone (never reported done
 * while the old tokens still work); after, for tokens signed in or refreshed while the change
 * was committing (they may carry the old role). The second write failing is reported too:
 * the change is then done, and retrying it records the revocation again.
 */
export async function withTokensRevoked<T>(
  revocations: TokenRevocations,
  clock: Clock,
  userId: string,
  change: () => Promise<T>,
): Promise<T> {
  await revocations.refuseIssuedBefore(userId, clock.now());
  const result = await change();
  await revocations.refuseIssuedBefore(userId, clock.now());
  return result;
}

/**
 * Gives a live user `role` inside the transaction of the change, bumping roleVersion and recording
 * `users.user.role-changed` there (outbox): the role and its event commit together, and other
 * subgraphs check sellers by it. Run it within withTokensRevoked. Null when there is no live
 * account (unknown or deleted): nothing was written.
 */
export async function assignRole(tx: Transaction, userId: string, role: Role): Promise<UserRecord | null> {
  const { count } = await tx.user.updateMany({
    where: { id: userId, deletedAt: null },
    data: { role, roleVersion: { increment: 1 } },
  });
  if (count === 0) return null;
  const user = await tx.user.findUniqueOrThrow({ where: { id: userId } });
  await recordRoleChanged(tx, user);
  return user;
}
