import type { Role, Viewer } from '@radiata/auth-context';
import { badUserInput, conflict, notFound, unauthenticated } from '@radiata/errors';
import {
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
import type { Database } from '../persistence/database.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { normalizeEmail, type UserRecord } from './users.js';

const email = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email('must be a valid email address').max(254, 'must be at most 254 characters'));

const signUpInput = z.object({
  email,
  password: z
    .string()
    .min(8, 'must be at least 8 characters')
    .max(128, 'must be at most 128 characters')
    .regex(/\p{L}/u, 'must contain a letter')
    .regex(/\p{N}/u, 'must contain a digit'),
  name: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
});

export interface SignUpInput {
  readonly email: string;
  readonly password: string;
  readonly name: string;
}

export interface UserListRequest extends PageRequest {
  readonly role?: Role | null;
}

const INVALID_CREDENTIALS = 'Invalid email or password';

/** Accounts: creating them, proving who you are, and (for admins) finding and promoting them. */
export class Accounts {
  constructor(private readonly db: Database) {}

  async signUp(input: SignUpInput): Promise<UserRecord> {
    const valid = validateInput(signUpInput, input);
    const passwordHash = await hashPassword(valid.password);
    try {
      return await this.db.$transaction(async (tx) => {
        const user = await tx.user.create({
          data: { id: newId(), email: valid.email, passwordHash, name: valid.name, role: 'CUSTOMER' },
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

  /** ADMIN only. An admin cannot remove their own admin role (someone must stay able to undo it). */
  async setRole(viewer: Viewer | null, userId: string, role: Role): Promise<UserRecord> {
    const admin = requireRole(viewer, 'ADMIN');
    if (!isId(userId)) throw notFound('User');
    if (userId === admin.id && role !== 'ADMIN') throw badUserInput('Admins cannot remove their own admin role');
    const { count } = await this.db.user.updateMany({ where: { id: userId, deletedAt: null }, data: { role } });
    if (count === 0) throw notFound('User');
    return this.db.user.findUniqueOrThrow({ where: { id: userId } });
  }
}
