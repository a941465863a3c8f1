import type { Role, Viewer } from '@radiata/auth-context';
import { conflict, forbidden, notFound, unauthenticated } from '@radiata/errors';
import {
  type Clock,
  type Connection,
  isId,
  isUniqueViolation,
  newestFirst,
  newId,
  type PageRequest,
  requireRole,
  requireViewer,
  validateInput,
} from '@radiata/service-runtime';
import { z } from 'zod';
import type { SellerApplication, SellerApplicationStatus } from '../generated/prisma/client.js';
import type { Database, Transaction } from '../persistence/database.js';
import type { TokenRevocations } from '../persistence/revocations.js';
import { businessNumberDigits, isValidBusinessNumber, normalizeKoreanPhone } from './korean-numbers.js';
import { assignRole, withTokensRevoked } from './role-changes.js';

export type SellerApplicationRecord = SellerApplication;

export interface SellerApplicationInput {
  readonly businessName: string;
  readonly businessRegistrationNumber: string;
  readonly contact: { readonly name: string; readonly phone: string; readonly email: string };
}

export interface SellerApplicationListRequest extends PageRequest {
  readonly status?: SellerApplicationStatus | null;
}

const text = (max: number) =>
  z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

const businessRegistrationNumber = z.string().transform((value, context) => {
  const digits = businessNumberDigits(value);
  if (digits === null) {
    context.addIssue({ code: 'custom', message: 'must be 10 digits, with or without dashes (123-45-67890)' });
    return z.NEVER;
  }
  if (!isValidBusinessNumber(digits)) {
    context.addIssue({ code: 'custom', message: 'is not a valid business registration number (check digit)' });
    return z.NEVER;
  }
  return digits;
});

const phone = z.string().transform((value, context) => {
  const written = normalizeKoreanPhone(value);
  if (written === null) {
    context.addIssue({
      code: 'custom',
      message: 'must be a Korean phone number like 010-1234-5678, 02-123-4567 or 1588-1234',
    });
    return z.NEVER;
  }
  return written;
});

const applicationInput = z.object({
  businessName: text(100),
  businessRegistrationNumber,
  contact: z.object({
    name: text(100),
    phone,
    email: z
      .string()
      .trim()
      .toLowerCase()
      .pipe(z.email('must be a valid email address').max(254, 'must be at most 254 characters')),
  }),
});

const rejectionReason = text(500);

const ALREADY_PENDING = 'You already have a pending seller application';
const NUMBER_HELD = 'This business registration number belongs to another seller or a pending application';

const NOT_PENDING: Record<Exclude<SellerApplicationStatus, 'PENDING'>, string> = {
  APPROVED: 'This application has already been approved',
  REJECTED: 'This application has already been rejected',
  WITHDRAWN: "This application was withdrawn: the applicant's account has been deleted",
};

const onlyCustomers = (role: Role) =>
  forbidden(`Only customers apply to become sellers; this account is ${role === 'ADMIN' ? 'an ADMIN' : 'a SELLER'}`);

/** The applicant's account, locked for the transaction (`FOR SHARE` to apply, `FOR UPDATE` to decide). */
async function lockApplicant(
  tx: Transaction,
  userId: string,
  mode: 'SHARE' | 'UPDATE',
): Promise<{ role: Role; deleted: boolean } | null> {
  const rows =
    mode === 'SHARE'
      ? await tx.$queryRaw<{ role: Role; deleted: boolean }[]>`
          SELECT role, deleted_at IS NOT NULL AS deleted FROM users WHERE id = ${userId}::uuid FOR SHARE`
      : await tx.$queryRaw<{ role: Role; deleted: boolean }[]>`
          SELECT role, deleted_at IS NOT NULL AS deleted FROM users WHERE id = ${userId}::uuid FOR UPDATE`;
  return rows[0] ?? null;
}

/**
 * Serialises everything that claims a business registration number (applying, approving) per
 * number, so "held by someone else" is checked and written as one step.
 */
const lockNumber = (tx: Transaction, number: string) =>
  tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('radiata.seller-number'), hashtext(${number}))`;

/**
 * Whether another user holds the number: a PENDING application of theirs, or an APPROVED one while
 * they are still a live SELLER (a demoted or deleted seller's number is free again).
 */
async function heldByAnother(tx: Transaction, number: string, userId: string): Promise<boolean> {
  const [row] = await tx.$queryRaw<{ held: boolean }[]>`
    SELECT EXISTS (
      SELECT 1 FROM seller_applications a JOIN users u ON u.id = a.user_id
      WHERE a.business_registration_number = ${number} AND a.user_id <> ${userId}::uuid
        AND (a.status = 'PENDING' OR (a.status = 'APPROVED' AND u.deleted_at IS NULL AND u.role = 'SELLER'))
    ) AS held`;
  return row?.held ?? false;
}

/** Which admin decided an application is for admins to see, not for its applicant. */
export const canSeeDecider = (viewer: Viewer | null): boolean => viewer?.role === 'ADMIN';

/**
 * Seller onboarding: a CUSTOMER applies with their business (at most one PENDING application at a
 * time); an ADMIN approves, which makes them a SELLER in the same transaction (their tokens are
 * refused, the role change is published), or rejects with a reason they can read. Decisions are
 * taken once: of two admins deciding at once, one wins and the other gets CONFLICT.
 */
export class SellerApplications {
  constructor(
    private readonly db: Database,
    private readonly revocations: TokenRevocations,
    private readonly clock: Clock,
  ) {}

  /**
   * A signed-in CUSTOMER applies (SELLER and ADMIN: FORBIDDEN). CONFLICT while they have a PENDING
   * application, or when another user holds the business registration number.
   */
  async apply(viewer: Viewer | null, input: SellerApplicationInput): Promise<SellerApplicationRecord> {
    const applicant = requireViewer(viewer);
    if (applicant.role !== 'CUSTOMER') throw onlyCustomers(applicant.role);
    const valid = validateInput(applicationInput, input);
    try {
      return await this.db.$transaction(async (tx) => {
        await lockNumber(tx, valid.businessRegistrationNumber);
        // Shared lock: an approval or a deletion of this account waits for this application, or
        // this application sees the role or deletion they committed.
        const account = await lockApplicant(tx, applicant.id, 'SHARE');
        if (!account || account.deleted) throw unauthenticated();
        if (account.role !== 'CUSTOMER') throw onlyCustomers(account.role);
        const pending = await tx.sellerApplication.findFirst({ where: { userId: applicant.id, status: 'PENDING' } });
        if (pending) throw conflict(ALREADY_PENDING);
        if (await heldByAnother(tx, valid.businessRegistrationNumber, applicant.id)) throw conflict(NUMBER_HELD);
        return tx.sellerApplication.create({
          data: {
            id: newId(),
            userId: applicant.id,
            businessName: valid.businessName,
            businessRegistrationNumber: valid.businessRegistrationNumber,
            contactName: valid.contact.name,
            contactPhone: valid.contact.phone,
            contactEmail: valid.contact.email,
            createdAt: this.clock.now(),
          },
        });
      });
    } catch (error) {
      // A concurrent submission of the same user committed first (seller_applications_one_pending).
      if (isUniqueViolation(error)) throw conflict(ALREADY_PENDING);
      throw error;
    }
  }

  /** The applicant or an ADMIN; NOT_FOUND for anyone else, as for an unknown id. */
  async get(viewer: Viewer | null, id: string): Promise<SellerApplicationRecord> {
    const signedIn = requireViewer(viewer);
    const application = isId(id) ? await this.db.sellerApplication.findUnique({ where: { id } }) : null;
    if (!application || !(signedIn.role === 'ADMIN' || signedIn.id === application.userId)) {
      throw notFound('Seller application');
    }
    return application;
  }

  /** ADMIN only: applications newest first, optionally of one status (PENDING: the queue to decide). */
  list(viewer: Viewer | null, request: SellerApplicationListRequest): Promise<Connection<SellerApplicationRecord>> {
    requireRole(viewer, 'ADMIN');
    const { status } = request;
    return newestFirst(request, ({ idBelow, take }) =>
      this.db.sellerApplication.findMany({
        where: { ...(status ? { status } : {}), ...(idBelow ? { id: { lt: idBelow } } : {}) },
        orderBy: { id: 'desc' },
        take,
      }),
    );
  }

  /**
   * ADMIN only: approves a PENDING application and makes its applicant a SELLER, in one
   * transaction with the users.user.role-changed event; the applicant's access tokens are refused
   * (their next refresh carries SELLER). CONFLICT when it is no longer PENDING, when the applicant
   * is no longer a live CUSTOMER, or when another seller holds the number by now.
   */
  async approve(viewer: Viewer | null, id: string): Promise<SellerApplicationRecord> {
    const admin = requireRole(viewer, 'ADMIN');
    const application = await this.pending(id);
    const { userId, businessRegistrationNumber } = application;
    return withTokensRevoked(this.revocations, this.clock, userId, () =>
      this.db.$transaction(async (tx) => {
        // Locks in the order applying takes them (number, then account, then application), and
        // the account before its application as a deletion does (the withdrawal trigger).
        await lockNumber(tx, businessRegistrationNumber);
        const account = await lockApplicant(tx, userId, 'UPDATE');
        const decided = await this.decide(tx, id, { status: 'APPROVED', decidedBy: admin.id });
        if (!account || account.deleted) throw conflict(NOT_PENDING.WITHDRAWN);
        if (account.role !== 'CUSTOMER') {
          throw conflict(
            `The applicant is ${account.role === 'ADMIN' ? 'an ADMIN' : 'a SELLER'} already: reject it instead`,
          );
        }
        if (await heldByAnother(tx, businessRegistrationNumber, userId)) throw conflict(NUMBER_HELD);
        if (!(await assignRole(tx, userId, 'SELLER'))) throw conflict(NOT_PENDING.WITHDRAWN);
        return decided;
      }),
    );
  }

  /** ADMIN only: rejects a PENDING application; the applicant reads the reason and may apply again. */
  async reject(viewer: Viewer | null, id: string, reason: string): Promise<SellerApplicationRecord> {
    const admin = requireRole(viewer, 'ADMIN');
    const why = validateInput(rejectionReason, reason, 'reason');
    if (!isId(id)) throw notFound('Seller application');
    return this.db.$transaction((tx) =>
      this.decide(tx, id, { status: 'REJECTED', decidedBy: admin.id, rejectionReason: why }),
    );
  }

  /** The application, if it is PENDING now (NOT_FOUND, or CONFLICT saying what became of it). */
  private async pending(id: string): Promise<SellerApplicationRecord> {
    const application = isId(id) ? await this.db.sellerApplication.findUnique({ where: { id } }) : null;
    if (!application) throw notFound('Seller application');
    if (application.status !== 'PENDING') throw conflict(NOT_PENDING[application.status]);
    return application;
  }

  /** Decides once: a conditional update, so of two concurrent decisions exactly one changes the row. */
  private async decide(
    tx: Transaction,
    id: string,
    decision: { status: 'APPROVED' | 'REJECTED'; decidedBy: string; rejectionReason?: string },
  ): Promise<SellerApplicationRecord> {
    const [decided] = await tx.sellerApplication.updateManyAndReturn({
      where: { id, status: 'PENDING' },
      data: { ...decision, decidedAt: this.clock.now() },
    });
    if (decided) return decided;
    const current = await tx.sellerApplication.findUnique({ where: { id } });
    if (!current) throw notFound('Seller application');
    throw conflict(NOT_PENDING[current.status as Exclude<SellerApplicationStatus, 'PENDING'>]);
  }
}
