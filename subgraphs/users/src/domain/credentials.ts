import { createHash, randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Viewer } from '@radiata/auth-context';
import { badUserInput, conflict, forbidden, unauthenticated } from '@radiata/errors';
import { type Clock, newId, requireViewer, validateInput } from '@radiata/service-runtime';
import { GraphQLError } from 'graphql';
import { z } from 'zod';
import { enqueueMail } from '../mail/outbox.js';
import type { Database, Transaction } from '../persistence/database.js';
import type { TokenRevocations } from '../persistence/revocations.js';
import { email as emailInput, passwordPolicy } from './accounts.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { endSessionRows, type Sessions } from './sessions.js';
import type { AuthThrottles } from './throttles.js';
import type { UserRecord } from './users.js';

export interface CredentialSettings {
  /** PASSWORD_RESET_URL: the page that takes `?token=…`. */
  readonly resetUrl: string;
  readonly resetTtlMinutes: number;
  /**
   * The least time a reset request takes to answer, whether or not the email has an account
   * (the work for an account is a few milliseconds more). Default 300 ms.
   */
  readonly resetAnswerFloorMs?: number;
}

export interface PasswordChange {
  readonly currentPassword: string;
  readonly newPassword: string;
}

/** Who asks, as the gateway signed it. */
export interface CredentialRequest {
  readonly sessionId: string | null;
  readonly clientAddress: string | null;
}

const MINUTE_MS = 60_000;
const INVALID_RESET_TOKEN = 'This password reset link is invalid, used or expired: ask for a new one';

const digest = (token: string) => createHash('sha256').update(token).digest('hex');

const currentPasswordInput = z.string().min(1, 'must not be empty').max(128, 'must be at most 128 characters');

const resetToken = z.string().min(1, 'must not be empty').max(512, 'is not a reset token');

/**
 * Passwords after sign-up: changing one (ends the user's other sessions), and resetting a
 * forgotten one by a single-use link sent by email (ends every session). Both send the
 * "password changed" notice. Only SHA-256 digests of reset tokens are stored.
 */
export class Credentials {
  private readonly resetAnswerFloorMs: number;

  constructor(
    private readonly db: Database,
    private readonly sessions: Sessions,
    private readonly throttles: AuthThrottles,
    private readonly revocations: TokenRevocations,
    private readonly clock: Clock,
    private readonly settings: CredentialSettings,
  ) {
    this.resetAnswerFloorMs = settings.resetAnswerFloorMs ?? 300;
  }

  /**
   * The signed-in user's new password (UNAUTHENTICATED when anonymous), given the current one:
   * a wrong one is FORBIDDEN (reason WRONG_PASSWORD) and counts as a failed log-in (AuthThrottles),
   * so this cannot be used to guess it. The new one follows the sign-up policy and must differ.
   * Every other session of the user ends (access tokens at once, refresh tokens for good); the
   * one asking goes on. Returns how many other sessions ended.
   */
  async changePassword(viewer: Viewer | null, change: PasswordChange, request: CredentialRequest): Promise<number> {
    const self = requireViewer(viewer);
    const current = validateInput(currentPasswordInput, change.currentPassword, 'currentPassword');
    const next = validateInput(passwordPolicy, change.newPassword, 'newPassword');
    if (next === current) {
      const message = 'must differ from the current password';
      throw badUserInput(`newPassword: ${message}`, [{ field: 'newPassword', message }]);
    }
    if (!request.sessionId) throw unauthenticated('Sign in again to change your password');
    const user = await this.db.user.findFirst({ where: { id: self.id, deletedAt: null } });
    if (!user) throw unauthenticated();
    await confirmPassword(this.throttles, user, current, request.clientAddress);
    const passwordHash = await hashPassword(next);
    const ended = await this.sessions.endAllOf(user.id, request.sessionId, async (tx, now) => {
      // Only over the hash just checked: two changes at once do not both succeed.
      const { count } = await tx.user.updateMany({
        where: { id: user.id, deletedAt: null, passwordHash: user.passwordHash },
        data: { passwordHash },
      });
      if (count === 0) throw conflict('The password was changed meanwhile: sign in again');
      await this.notifyChanged(tx, user, now, 'changed');
    });
    return ended.length;
  }

  /**
   * Sends a reset link to the account with this email, if there is a live one. The answer is the
   * same either way, and takes at least resetAnswerFloorMs: neither tells whether the email has an
   * account. RATE_LIMITED per client address and per email, likewise. A new link makes the older
   * ones useless.
   */
  async requestReset(email: string, clientAddress: string | null): Promise<void> {
    const address = validateInput(emailInput, email, 'email');
    await this.throttles.passwordReset(address, clientAddress);
    const answerAt = performance.now() + this.resetAnswerFloorMs;
    const user = await this.db.user.findFirst({ where: { email: address, deletedAt: null } });
    if (user) await this.sendResetLink(user);
    const wait = answerAt - performance.now();
    if (wait > 0) await sleep(wait);
  }

  /**
   * Sets a new password with a reset link's token: the token is used up in the same transaction
   * (of two uses at once, one wins), every session of the user ends (access tokens at once,
   * refresh tokens for good) and the "password changed" notice is sent. An unknown, used,
   * superseded or expired token is one BAD_USER_INPUT.
   */
  async resetPassword(token: string, newPassword: string): Promise<void> {
    const presented = validateInput(resetToken, token, 'token');
    const password = validateInput(passwordPolicy, newPassword, 'newPassword');
    const tokenHash = digest(presented);
    const found = await this.db.passwordResetToken.findFirst({
      where: { tokenHash, usedAt: null, supersededAt: null, expiresAt: { gt: this.clock.now() } },
      include: { user: true },
    });
    if (!found || found.user.deletedAt !== null) throw invalidResetToken();
    const userId = found.userId;
    const passwordHash = await hashPassword(password);
    // Refused before (a failure changes nothing) and after (tokens refreshed meanwhile).
    await this.revocations.refuseIssuedBefore(userId, this.clock.now());
    await this.db.$transaction(async (tx) => {
      const now = this.clock.now();
      // The user's row first (users, sessions, refresh tokens: every writer's order).
      const user = await tx.user.update({ where: { id: userId }, data: { passwordHash } });
      if (user.deletedAt !== null) throw invalidResetToken();
      const used = await tx.passwordResetToken.updateMany({
        where: { id: found.id, usedAt: null, supersededAt: null, expiresAt: { gt: now } },
        data: { usedAt: now },
      });
      if (used.count !== 1) throw invalidResetToken();
      await tx.passwordResetToken.updateMany({
        where: { userId, usedAt: null, supersededAt: null },
        data: { supersededAt: now },
      });
      await endSessionRows(tx, userId, now);
      await this.notifyChanged(tx, user, now, 'reset');
    });
    await this.revocations.refuseIssuedBefore(userId, this.clock.now());
  }

  /** Reset tokens a day past their expiry: nothing reads them any more. */
  async pruneResetTokens(): Promise<number> {
    const { count } = await this.db.passwordResetToken.deleteMany({
      where: { expiresAt: { lt: new Date(this.clock.now().getTime() - 24 * 60 * MINUTE_MS) } },
    });
    return count;
  }

  private async sendResetLink(user: UserRecord): Promise<void> {
    const token = randomBytes(32).toString('base64url');
    const link = new URL(this.settings.resetUrl);
    link.searchParams.set('token', token);
    await this.db.$transaction(async (tx) => {
      // One request per user at a time, so the newest token is the only one left usable.
      await tx.$queryRaw`SELECT 1 FROM users WHERE id = ${user.id}::uuid FOR NO KEY UPDATE`;
      const now = this.clock.now();
      await tx.passwordResetToken.updateMany({
        where: { userId: user.id, usedAt: null, supersededAt: null },
        data: { supersededAt: now },
      });
      await tx.passwordResetToken.create({
        data: {
          id: newId(),
          userId: user.id,
          tokenHash: digest(token),
          createdAt: now,
          expiresAt: new Date(now.getTime() + this.settings.resetTtlMinutes * MINUTE_MS),
        },
      });
      await enqueueMail(tx, {
        to: user.email,
        userId: user.id,
        locale: user.locale,
        template: 'password-reset',
        data: { name: user.name, resetUrl: link.toString(), validMinutes: this.settings.resetTtlMinutes },
      });
    });
  }

  private notifyChanged(tx: Transaction, user: UserRecord, changedAt: Date, how: 'changed' | 'reset') {
    return enqueueMail(tx, {
      to: user.email,
      userId: user.id,
      locale: user.locale,
      template: 'password-changed',
      data: { name: user.name, changedAt, how },
    });
  }
}

const invalidResetToken = () =>
  badUserInput(INVALID_RESET_TOKEN, [{ field: 'token', message: 'is invalid, used or expired' }]);

/**
 * A signed-in user proving it is them again (password change, account deletion), against the
 * row the caller read: wrong is FORBIDDEN WRONG_PASSWORD (the session itself is fine), and counts
 * as a failed log-in (AuthThrottles), so it cannot be used to guess the password.
 */
export async function confirmPassword(
  throttles: AuthThrottles,
  user: UserRecord,
  password: string,
  clientAddress: string | null,
): Promise<void> {
  try {
    await throttles.logIn(user.email, clientAddress, async () => {
      if (!(await verifyPassword(user.passwordHash, password))) throw unauthenticated('Wrong password');
    });
  } catch (error) {
    if (error instanceof GraphQLError && error.extensions.code === 'UNAUTHENTICATED') {
      throw forbidden('Wrong password', { reason: 'WRONG_PASSWORD' });
    }
    throw error;
  }
}
