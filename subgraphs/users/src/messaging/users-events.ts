import type { Role } from '@radiata/auth-context';
import { enqueue } from '@radiata/outbox';
import type { Transaction } from '../persistence/database.js';

/** The topic exchange users events are published to (routing keys `users.user.*`). */
export const USERS_EXCHANGE = 'radiata.users';

/** A user's role changed, or the account was deleted. */
export const ROLE_CHANGED = 'users.user.role-changed';

/**
 * The payload of `users.user.role-changed`: consumers keep, per user, the state of the highest
 * roleVersion, whatever order the events arrive in.
 */
export interface RoleChanged {
  readonly userId: string;
  readonly role: Role;
  readonly roleVersion: number;
  /** The account was deleted: it holds no role any more. */
  readonly deleted: boolean;
  readonly occurredAt: string;
}

interface UserState {
  readonly id: string;
  readonly role: Role;
  readonly roleVersion: number;
  readonly deletedAt: Date | null;
  readonly updatedAt: Date;
}

/**
 * Records the user's current role in the transaction of the change (transactional outbox): the
 * event is published if and only if the change commits. Bump roleVersion in that change.
 */
export async function recordRoleChanged(tx: Transaction, user: UserState): Promise<void> {
  const event: RoleChanged = {
    userId: user.id,
    role: user.role,
    roleVersion: user.roleVersion,
    deleted: user.deletedAt !== null,
    occurredAt: user.updatedAt.toISOString(),
  };
  await enqueue(
    (sql, values) => tx.$executeRawUnsafe(sql, ...values),
    [{ exchange: USERS_EXCHANGE, routingKey: ROLE_CHANGED, payload: { ...event } }],
  );
}

/** An account was deleted (its owner's self-service deletion, or an admin's). */
export const USER_DELETED = 'users.user.deleted';

/**
 * The payload of `users.user.deleted`, published once per account with its `users.user.role-changed`
 * (deleted: true): subgraphs that keep something per user close it (payments: the wallet).
 */
export interface UserDeleted {
  readonly userId: string;
  readonly deletedAt: string;
  /** The owner deleted it and their personal data was erased (an admin's deletion only deactivates). */
  readonly erased: boolean;
}

/** Records the deletion in its transaction (outbox), beside recordRoleChanged. */
export async function recordUserDeleted(tx: Transaction, deleted: UserDeleted): Promise<void> {
  await enqueue(
    (sql, values) => tx.$executeRawUnsafe(sql, ...values),
    [{ exchange: USERS_EXCHANGE, routingKey: USER_DELETED, payload: { ...deleted } }],
  );
}
