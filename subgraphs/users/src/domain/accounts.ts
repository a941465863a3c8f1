import type { Role, Viewer } from '@radiata/auth-context';
import { badUserInput, conflict, notFound, unauthenticated } from '@radiata/errors';
import {
  type Clock,
  type Connection,
  isId,
  isUniqueViolation,
  newestFirst,
  newId,
  type PageRequest,
  requireRole,
  validateInput,
} from '@radiata/service-runtime';
import { z } from 'zod';
import { recordRoleChanged, recordUserDeleted } from '../messaging/users-events.js';
import type { Database } from '../persistence/database.js';
import type { TokenRevocations } from '../persistence/revocations.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { type LocaleName, localeInput, storedLocale } from './profiles.js';
import { assignRole, withTokensRevoked } from './role-changes.js';
import { normalizeEmail, type UserRecord } from './users.js';

/** An email address as accounts store it (trimmed, lower-case). */
export const email = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email('must be a valid email address').max(254, 'must be at most 254 characters'));

/** Every new password: at sign-up, on a change, on a reset. */
export const passwordPolicy = z
  .string()
  .min(8, 'must be at least 8 characters')
  .max(128, 'must be at most 128 characters')
  .regex(/\p{L}/u, 'must contain a letter')
  .regex(/\p{N}/u, 'must contain a digit');

const signUpInput = z.object({
  email,
  password: passwordPolicy,
  name: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
  locale: localeInput.nullish(),
});

export interface SignUpInput {
  readonly email: string;
  readonly password: string;
  readonly name: string;
  /** The language of the user's emails; Korean when omitted. */
  readonly locale?: LocaleName | null;
}

export interface UserListRequest extends PageRequest {
  readonly role?: Role | null;
}

const INVALID_CREDENTIALS = 'Invalid email or password';

/** Accounts: creating them, proving who you are, and (for admins) finding, promoting and deleting them. */
export class Accounts {
  constructor(
    private readonly db: Database,
    private readonly revocations: TokenRevocations,
    private readonly clock: Clock,
  ) {}

  async signUp(input: SignUpInput): Promise<UserRecord> {
    const valid = validateInput(signUpInput, input);
    const passwordHash = await hashPassword(valid.password);
    try {
      return await this.db.$transaction(async (tx) => {
        const user = await tx.user.create({
          data: {
            id: newId(),
            email: valid.email,
            passwordHash,
            name: valid.name,
            locale: storedLocale(valid.locale ?? 'KO'),
            role: 'CUSTOMER',
          },
        });
        await tx.pointAccount.create({ data: { userId: user.id } });
        return user;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict('An account with this email already exists');
      throw error;
    }
  }

  /** Unknown email and wrong password are indistinguishable, in answer and in timing. */
  async authenticate(emailAddress: string, password: string): Promise<UserRecord> {
    const user = await this.db.user.findFirst({ where: { email: normalizeEmail(emailAddress), deletedAt: null } });
    const valid = await verifyPassword(user?.passwordHash, password);
    if (!user || !valid) throw unauthenticated(INVALID_CREDENTIALS);
    return user;
  }

  /** ADMIN only: a live account by id, or NOT_FOUND. */
  async get(viewer: Viewer | null, userId: string): Promise<UserRecord> {
    requireRole(viewer, 'ADMIN');
    const user = isId(userId) ? await this.db.user.findFirst({ where: { id: userId, deletedAt: null } }) : null;
    if (!user) throw notFound('User');
    return user;
  }

  /** ADMIN only: live accounts, newest first, optionally of one role. */
  list(viewer: Viewer | null, request: UserListRequest): Promise<Connection<UserRecord>> {
    requireRole(viewer, 'ADMIN');
    const { role } = request;
    return newestFirst(request, ({ idBelow, take }) =>
      this.db.user.findMany({
        where: { deletedAt: null, ...(role ? { role } : {}), ...(idBelow ? { id: { lt: idBelow } } : {}) },
        orderBy: { id: 'desc' },
        take,
      }),
    );
  }

  /**
   * ADMIN only. An admin cannot remove their own admin role (someone must stay able to undo it).
   * The user's access tokens stop working at once (they carry the old role); their next refresh
   * carries the new one.
   */
  async setRole(viewer: Viewer | null, userId: string, role: Role): Promise<UserRecord> {
    const admin = requireRole(viewer, 'ADMIN');
    if (!isId(userId)) throw notFound('User');
    if (userId === admin.id && role !== 'ADMIN') throw badUserInput('Admins cannot remove their own admin role');
    await this.withTokensRevoked(userId, () =>
      // The change and its event commit together (outbox): other subgraphs check sellers by it.
      this.db.$transaction(async (tx) => {
        if (!(await assignRole(tx, userId, role))) throw notFound('User');
      }),
    );
    return this.db.user.findUniqueOrThrow({ where: { id: userId } });
  }

  /**
   * ADMIN only: soft-deletes an account. It can no longer sign in or refresh, and its access
   * tokens stop working at once. Admins cannot delete themselves.
   */
  async delete(viewer: Viewer | null, userId: string): Promise<void> {
    const admin = requireRole(viewer, 'ADMIN');
    if (!isId(userId)) throw notFound('User');
    if (userId === admin.id) throw badUserInput('Admins cannot delete their own account');
    await this.withTokensRevoked(userId, () =>
      this.db.$transaction(async (tx) => {
        const now = this.clock.now();
        const { count } = await tx.user.updateMany({
          where: { id: userId, deletedAt: null },
          data: { deletedAt: now, roleVersion: { increment: 1 } },
        });
        if (count === 0) throw notFound('User');
        await tx.refreshToken.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: now } });
        await recordRoleChanged(tx, await tx.user.findUniqueOrThrow({ where: { id: userId } }));
        await recordUserDeleted(tx, { userId, deletedAt: now.toISOString(), erased: false });
      }),
    );
  }

  /** Refuses the user's tokens before and after `change` (role-changes.ts; seller approvals use it too). */
  private withTokensRevoked(userId: string, change: () => Promise<void>): Promise<void> {
    return withTokensRevoked(this.revocations, this.clock, userId, change);
  }
}
