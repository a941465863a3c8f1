import { receiveOnce } from '@radiata/inbox';
import type { Database } from '../persistence/database.js';

/** A user's role as the users subgraph published it (users.user.role-changed). */
export interface RoleChange {
  readonly userId: string;
  readonly role: string;
  readonly roleVersion: number;
  readonly deleted: boolean;
}

export type RoleChangeOutcome = 'applied' | 'stale' | 'duplicate';

/**
 * Who is a SELLER, as far as the catalog knows: the users subgraph owns roles and publishes
 * each change; the catalog keeps the newest (highest roleVersion) per user. A brand can only be
 * given to an existing SELLER.
 */
export class Sellers {
  constructor(private readonly db: Database) {}

  /** Applies a role change once (inbox `consumer`), keeping the newest version per user. */
  async apply(consumer: string, messageId: string, change: RoleChange): Promise<RoleChangeOutcome> {
    return this.db.$transaction(async (tx) => {
      const execute = (sql: string, values: unknown[]) => tx.$executeRawUnsafe(sql, ...values);
      if (!(await receiveOnce(execute, consumer, messageId))) return 'duplicate';
      const written = await tx.$executeRaw`
        INSERT INTO user_roles (user_id, role, role_version, deleted)
        VALUES (${change.userId}::uuid, ${change.role}, ${change.roleVersion}, ${change.deleted})
        ON CONFLICT (user_id) DO UPDATE
          SET role = EXCLUDED.role, role_version = EXCLUDED.role_version, deleted = EXCLUDED.deleted, updated_at = now()
          WHERE user_roles.role_version < EXCLUDED.role_version`;
      return written === 1 ? 'applied' : 'stale';
    });
  }

  /** Whether the user exists and is a SELLER now (as of the last role change the catalog heard of). */
  async isSeller(userId: string): Promise<boolean> {
    const known = await this.db.userRole.findUnique({ where: { userId } });
    return known !== null && !known.deleted && known.role === 'SELLER';
  }
}
