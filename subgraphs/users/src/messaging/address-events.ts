import { enqueue, type OutboxEvent } from '@radiata/outbox';
import type { UserAddress } from '../generated/prisma/client.js';
import type { Transaction } from '../persistence/database.js';
import { USERS_EXCHANGE } from './users-events.js';

/** An address was added or changed (edited, made or unmade the default): its whole state now. */
export const ADDRESS_SAVED = 'users.address.saved';

/** An address was removed from its owner's address book. */
export const ADDRESS_REMOVED = 'users.address.removed';

/**
 * The payload of `users.address.saved`. `version` grows with every change of the address:
 * consumers keep the state of the highest version, whatever order the events arrive in.
 */
export interface AddressSaved {
  readonly addressId: string;
  readonly userId: string;
  readonly label: string | null;
  readonly recipient: string;
  readonly phone: string;
  readonly zipCode: string;
  readonly roadAddress: string;
  readonly detailAddress: string;
  readonly isDefault: boolean;
  readonly version: number;
  readonly occurredAt: string;
}

/** The payload of `users.address.removed`: `version` is one above the address's last saved one. */
export interface AddressRemoved {
  readonly addressId: string;
  readonly userId: string;
  readonly version: number;
  readonly occurredAt: string;
}

export type AddressChange =
  | { readonly kind: 'saved'; readonly address: UserAddress }
  | { readonly kind: 'removed'; readonly address: UserAddress; readonly at: Date };

function eventOf(change: AddressChange): OutboxEvent {
  const { address } = change;
  if (change.kind === 'removed') {
    const payload: AddressRemoved = {
      addressId: address.id,
      userId: address.userId,
      version: address.version + 1,
      occurredAt: change.at.toISOString(),
    };
    return { exchange: USERS_EXCHANGE, routingKey: ADDRESS_REMOVED, payload: { ...payload } };
  }
  const payload: AddressSaved = {
    addressId: address.id,
    userId: address.userId,
    label: address.label,
    recipient: address.recipient,
    phone: address.phone,
    zipCode: address.zipCode,
    roadAddress: address.roadAddress,
    detailAddress: address.detailAddress,
    isDefault: address.isDefault,
    version: address.version,
    occurredAt: address.updatedAt.toISOString(),
  };
  return { exchange: USERS_EXCHANGE, routingKey: ADDRESS_SAVED, payload: { ...payload } };
}

/**
 * Records address changes in the transaction that makes them (transactional outbox): published if
 * and only if it commits. Bump each saved address's version in that change.
 */
export async function recordAddressChanges(tx: Transaction, changes: readonly AddressChange[]): Promise<void> {
  if (changes.length === 0) return;
  await enqueue((sql, values) => tx.$executeRawUnsafe(sql, ...values), changes.map(eventOf));
}
