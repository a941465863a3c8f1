import type { Viewer } from '@radiata/auth-context';
import { conflict, notFound } from '@radiata/errors';
import { type Clock, isId, newId, requireViewer, validateInput } from '@radiata/service-runtime';
import { z } from 'zod';
import type { UserAddress } from '../generated/prisma/client.js';
import { type AddressChange, recordAddressChanges } from '../messaging/address-events.js';
import type { Database, Transaction } from '../persistence/database.js';
import { koreanMobile } from './phone.js';

export type AddressRecord = UserAddress;

/** Addresses one user may keep (docs/DOMAIN.md: up to 10). */
export const MAX_ADDRESSES = 10;

const text = (max: number) =>
  z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
/** A label is optional: blank or null means none. */
const label = z
  .string()
  .trim()
  .max(20, 'must be at most 20 characters')
  .nullable()
  .transform((value) => (value ? value : null));
const detailAddress = z
  .string()
  .trim()
  .max(200, 'must be at most 200 characters')
  .nullable()
  .transform((value) => value ?? '');
const zipCode = z
  .string()
  .trim()
  .regex(/^\d{5}$/, 'must be a 5-digit postal code');

const newAddressInput = z.object({
  label: label.optional(),
  recipient: text(50),
  phone: koreanMobile,
  zipCode,
  roadAddress: text(200),
  detailAddress: detailAddress.optional(),
  isDefault: z.boolean().nullish(),
});

/** Omitted: unchanged. Null: unchanged for the required fields, cleared for label and detailAddress. */
const addressChangesInput = z.object({
  label: label.optional(),
  recipient: text(50).nullish(),
  phone: koreanMobile.nullish(),
  zipCode: zipCode.nullish(),
  roadAddress: text(200).nullish(),
  detailAddress: detailAddress.optional(),
});

export interface NewAddress {
  readonly label?: string | null;
  readonly recipient: string;
  readonly phone: string;
  readonly zipCode: string;
  readonly roadAddress: string;
  readonly detailAddress?: string | null;
  /** Make it the default (the first address always is). */
  readonly isDefault?: boolean | null;
}

export type AddressChanges = { readonly [K in Exclude<keyof NewAddress, 'isDefault'>]?: NewAddress[K] | null };

/**
 * A user's address book: at most MAX_ADDRESSES shipping addresses, exactly one of them the default
 * while there are any. Only its owner changes it (another user's address is NOT_FOUND, never
 * FORBIDDEN: its existence is nobody else's business). Every change locks the owner's row first, so
 * changes of one book take turns (two concurrent adds at 9 make 10, never 11) and the default rules
 * hold; each change records `users.address.saved` / `.removed` in its transaction (outbox).
 */
export class AddressBook {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  async add(viewer: Viewer | null, input: NewAddress): Promise<AddressRecord> {
    const owner = requireViewer(viewer);
    const address = validateInput(newAddressInput, input);
    return this.db.$transaction(async (tx) => {
      if (!(await lockBook(tx, owner.id))) throw notFound('User');
      const count = await tx.userAddress.count({ where: { userId: owner.id } });
      if (count >= MAX_ADDRESSES) {
        throw conflict(`You can keep at most ${MAX_ADDRESSES} addresses: remove one first`);
      }
      const isDefault = count === 0 || address.isDefault === true;
      const now = this.clock.now();
      const changes: AddressChange[] = isDefault ? await unsetDefault(tx, owner.id, now) : [];
      const added = await tx.userAddress.create({
        data: {
          id: newId(),
          userId: owner.id,
          label: address.label ?? null,
          recipient: address.recipient,
          phone: address.phone,
          zipCode: address.zipCode,
          roadAddress: address.roadAddress,
          detailAddress: address.detailAddress ?? '',
          isDefault,
          createdAt: now,
          updatedAt: now,
        },
      });
      await recordAddressChanges(tx, [...changes, { kind: 'saved', address: added }]);
      return added;
    });
  }

  /** Only the fields given change. */
  async update(viewer: Viewer | null, addressId: string, input: AddressChanges): Promise<AddressRecord> {
    const owner = requireViewer(viewer);
    const changes = validateInput(addressChangesInput, input);
    return this.db.$transaction(async (tx) => {
      const current = await ownAddress(tx, owner.id, addressId);
      const updated = await tx.userAddress.update({
        where: { id: current.id },
        data: {
          label: changes.label,
          recipient: changes.recipient ?? undefined,
          phone: changes.phone ?? undefined,
          zipCode: changes.zipCode ?? undefined,
          roadAddress: changes.roadAddress ?? undefined,
          detailAddress: changes.detailAddress,
          version: { increment: 1 },
          updatedAt: this.clock.now(),
        },
      });
      await recordAddressChanges(tx, [{ kind: 'saved', address: updated }]);
      return updated;
    });
  }

  /** Removing the default makes the most recently added other address the default. */
  async remove(viewer: Viewer | null, addressId: string): Promise<void> {
    const owner = requireViewer(viewer);
    await this.db.$transaction(async (tx) => {
      const removed = await ownAddress(tx, owner.id, addressId);
      await tx.userAddress.delete({ where: { id: removed.id } });
      const now = this.clock.now();
      const changes: AddressChange[] = [{ kind: 'removed', address: removed, at: now }];
      if (removed.isDefault) {
        const next = await tx.userAddress.findFirst({
          where: { userId: owner.id },
          orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        });
        if (next) {
          const promoted = await tx.userAddress.update({
            where: { id: next.id },
            data: { isDefault: true, version: { increment: 1 }, updatedAt: now },
          });
          changes.push({ kind: 'saved', address: promoted });
        }
      }
      await recordAddressChanges(tx, changes);
    });
  }

  /** Makes the address the default (the previous default stops being it). Already the default: unchanged. */
  async setDefault(viewer: Viewer | null, addressId: string): Promise<AddressRecord> {
    const owner = requireViewer(viewer);
    return this.db.$transaction(async (tx) => {
      const chosen = await ownAddress(tx, owner.id, addressId);
      if (chosen.isDefault) return chosen;
      const now = this.clock.now();
      const changes = await unsetDefault(tx, owner.id, now);
      const updated = await tx.userAddress.update({
        where: { id: chosen.id },
        data: { isDefault: true, version: { increment: 1 }, updatedAt: now },
      });
      await recordAddressChanges(tx, [...changes, { kind: 'saved', address: updated }]);
      return updated;
    });
  }
}

/**
 * Locks the owner's row (the address book's lock): every change of one book takes turns on it.
 * FOR NO KEY UPDATE: the address rows' foreign key (KEY SHARE) and other readers are not blocked.
 */
async function lockBook(tx: Transaction, userId: string): Promise<boolean> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM users WHERE id = ${userId}::uuid AND deleted_at IS NULL FOR NO KEY UPDATE`;
  return rows.length > 0;
}

/** The owner's address under the book's lock; NOT_FOUND for anyone else's (or no such) address. */
async function ownAddress(tx: Transaction, userId: string, addressId: string): Promise<AddressRecord> {
  if (!isId(addressId) || !(await lockBook(tx, userId))) throw notFound('Address');
  const address = await tx.userAddress.findFirst({ where: { id: addressId, userId } });
  if (!address) throw notFound('Address');
  return address;
}

/** The current default stops being it (before another becomes it: one default per user, by index). */
async function unsetDefault(tx: Transaction, userId: string, now: Date): Promise<AddressChange[]> {
  const previous = await tx.userAddress.updateManyAndReturn({
    where: { userId, isDefault: true },
    data: { isDefault: false, version: { increment: 1 }, updatedAt: now },
  });
  return previous.map((address) => ({ kind: 'saved', address }));
}
