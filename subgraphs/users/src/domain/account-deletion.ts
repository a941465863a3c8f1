import type { Viewer } from '@radiata/auth-context';
import { conflict, forbidden, unauthenticated } from '@radiata/errors';
import { type Clock, requireViewer, validateInput } from '@radiata/service-runtime';
import type { GraphQLError } from 'graphql';
import { z } from 'zod';
import { recordRoleChanged, recordUserDeleted } from '../messaging/users-events.js';
import type { Database, Transaction } from '../persistence/database.js';
import type { TokenRevocations } from '../persistence/revocations.js';
import type { AccountHolds, Holds } from './account-holds.js';
import { confirmPassword } from './credentials.js';
import { endSessionRows } from './sessions.js';
import type { AuthThrottles } from './throttles.js';
import type { UserRecord } from './users.js';

/**
 * The address an erased account keeps: unique (its id), never deliverable (`.invalid` is reserved
 * by RFC 2606), and not the owner's, so the owner's email may sign up again at once (the unique
 * index on users.email covers live accounts only).
 */
export const erasedEmailOf = (userId: string): string => `deleted-${userId}@deleted.invalid`;

/** The name an erased account shows where it is still referenced, in the language it used. */
export const erasedNameOf = (user: Pick<UserRecord, 'locale'>): string =>
  user.locale === 'en' ? 'Deleted user' : '탈퇴한 회원';

/** No argon2 hash: nothing can ever verify against it (and no live account has it). */
const NO_PASSWORD = '!deleted';

const GONE = 'This account no longer exists';

// As long as sign-up allows: anything longer cannot be the password, and costs no Argon2 time.
const deleteAccountPassword = z.string().min(1, 'must not be empty').max(128, 'is not the password');

/** Why a deletion is refused, for clients (`extensions.reasons`). */
export type DeletionHold =
  | { readonly code: 'ORDERS_IN_FLIGHT'; readonly count: number }
  | { readonly code: 'WALLET_BALANCE'; readonly amount: number };

const holdsOf = (holds: Holds): DeletionHold[] => [
  ...(holds.ordersInFlight > 0 ? [{ code: 'ORDERS_IN_FLIGHT' as const, count: holds.ordersInFlight }] : []),
  ...(holds.walletBalance > 0 ? [{ code: 'WALLET_BALANCE' as const, amount: holds.walletBalance }] : []),
];

const won = new Intl.NumberFormat('en-US');

function refusal(reasons: readonly DeletionHold[]): GraphQLError {
  const parts = reasons.map((reason) =>
    reason.code === 'ORDERS_IN_FLIGHT'
      ? `${reason.count} ${reason.count === 1 ? 'order is' : 'orders are'} not delivered, cancelled or refunded yet`
      : `your wallet holds ${won.format(reason.amount)} won (spend it, or ask us to pay it back)`,
  );
  return conflict(`Your account cannot be deleted yet: ${parts.join('; ')}`, { reasons });
}

/**
 * Self-service account deletion (docs/ARCHITECTURE.md, "Account deletion"). The signed-in owner
 * proves it is them with their password, counted by the log-in throttles like a log-in (so it
 * cannot be used to guess). It is refused while orders are in flight or the wallet holds money, as
 * AccountHolds knows them; otherwise one transaction erases the personal data (email, password,
 * name, phone, addresses, seller applications' contact person, sessions' User-Agents, mails'
 * recipients) and keeps what accounting needs under the same, now anonymous, id
 * (points ledger here; orders, payments and wallet ledgers in their subgraphs). Sessions end at
 * once and `users.user.role-changed` (deleted) and `users.user.deleted` go out with it.
 */
export class AccountDeletion {
  constructor(
    private readonly db: Database,
    private readonly holds: AccountHolds,
    private readonly throttles: AuthThrottles,
    private readonly revocations: TokenRevocations,
    private readonly clock: Clock,
  ) {}

  async deleteOwn(viewer: Viewer | null, password: string, clientAddress: string | null): Promise<void> {
    const self = requireViewer(viewer);
    const given = validateInput(deleteAccountPassword, password, 'password');
    const user = await this.db.user.findFirst({ where: { id: self.id, deletedAt: null } });
    if (!user) throw unauthenticated(GONE);
    refuseRole(user);
    // Against the row read above: an account deleted meanwhile (a concurrent deletion) is then
    // refused as gone by the transaction, never answered as a wrong password.
    await confirmPassword(this.throttles, user, given, clientAddress);

    await this.db.$transaction(async (tx) => {
      // Two deletions, or a deletion and an admin's change, take turns on the row.
      const [locked] = await tx.$queryRaw<Pick<UserRecord, 'role'>[]>`
        SELECT role FROM users WHERE id = ${user.id}::uuid AND deleted_at IS NULL FOR UPDATE`;
      if (!locked) throw unauthenticated(GONE);
      refuseRole(locked);
      const reasons = holdsOf(await this.holds.of(tx, user.id));
      if (reasons.length > 0) throw refusal(reasons);
      // Inside the transaction, before it commits: if Redis refuses, nothing is erased and the
      // caller is told to retry (SERVICE_UNAVAILABLE), never told it is done while its tokens work.
      await this.revocations.refuseIssuedBefore(user.id, this.clock.now());
      await this.erase(tx, user);
    });
    // Again for a token signed in or refreshed while the transaction committed (Accounts.setRole).
    await this.revocations.refuseIssuedBefore(user.id, this.clock.now());
  }

  private async erase(tx: Transaction, user: UserRecord): Promise<void> {
    const now = this.clock.now();
    const erased = await tx.user.update({
      where: { id: user.id },
      data: {
        email: erasedEmailOf(user.id),
        passwordHash: NO_PASSWORD,
        name: erasedNameOf(user),
        phone: null,
        deletedAt: now,
        roleVersion: { increment: 1 },
      },
    });
    await tx.userAddress.deleteMany({ where: { userId: user.id } });
    // A pending application was just WITHDRAWN by the deletion (the seller_applications trigger);
    // none keeps its contact person: the business name and number stay, as the decision's record.
    await tx.sellerApplication.updateMany({
      where: { userId: user.id },
      data: { contactName: null, contactPhone: null, contactEmail: null },
    });
    // Sessions, then refresh tokens: the lock order every writer keeps (Sessions).
    await endSessionRows(tx, user.id, now);
    await tx.session.updateMany({ where: { userId: user.id }, data: { userAgent: null } });
    await tx.refreshToken.updateMany({ where: { userId: user.id, revokedAt: null }, data: { revokedAt: now } });
    await tx.passwordResetToken.updateMany({
      where: { userId: user.id, usedAt: null, supersededAt: null },
      data: { supersededAt: now },
    });
    // Mails keep no address: the relay cancels a pending one of a deleted account (its body goes
    // then), and sent ones are purged after their retention.
    await tx.mailOutbox.updateMany({ where: { userId: user.id }, data: { recipient: erasedEmailOf(user.id) } });
    await recordRoleChanged(tx, erased);
    await recordUserDeleted(tx, { userId: user.id, deletedAt: now.toISOString(), erased: true });
  }
}

/**
 * Admins are deleted by another admin (deleteUser), so one always remains; a seller's account is
 * closed by an admin, once their brands, their buyers' orders and their settlements are handed over.
 */
function refuseRole(user: Pick<UserRecord, 'role'>): void {
  if (user.role === 'ADMIN') {
    throw forbidden('Admins cannot delete their own account: another admin can (deleteUser)');
  }
  if (user.role === 'SELLER') {
    throw forbidden("A seller's account is closed by an admin, once their brands and settlements are handed over");
  }
}
