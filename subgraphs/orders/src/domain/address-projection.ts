import { setTimeout as sleep } from 'node:timers/promises';
import { receiveOnce } from '@radiata/inbox';
import { isId } from '@radiata/service-runtime';
import type { Database, Transaction } from '../persistence/database.js';

/** `users.address.saved`: an address as it is after a change. */
export interface AddressSaved {
  readonly kind: 'saved';
  readonly addressId: string;
  readonly userId: string;
  readonly label: string | null;
  readonly recipient: string;
  readonly phone: string;
  readonly zipCode: string;
  readonly roadAddress: string;
  readonly detailAddress: string;
  readonly version: number;
}

/** `users.address.removed`: the address left its owner's address book. */
export interface AddressRemoved {
  readonly kind: 'removed';
  readonly addressId: string;
  readonly userId: string;
  readonly version: number;
}

/** `users.user.role-changed` with `deleted: true`: the account is gone, and its addresses with it. */
export interface UserDeleted {
  readonly kind: 'user-deleted';
  readonly userId: string;
}

export type AddressEvent = AddressSaved | AddressRemoved | UserDeleted;
export type AddressEventOutcome = 'applied' | 'stale' | 'duplicate' | 'erased';

/** The part of a saved address an order copies. */
export interface ShippingAddressCopy {
  readonly recipient: string;
  readonly phone: string;
  readonly zipCode: string;
  readonly roadAddress: string;
  readonly detailAddress: string;
}

export interface AddressWait {
  /** How long to look again for an address not known yet (the users relay's delay), in ms. */
  readonly waitMs: number;
  /** How often to look while waiting, in ms. */
  readonly pollMs: number;
}

/**
 * What orders knows of users' address books, from the users subgraph's events (a projection:
 * placeOrder never calls users). Each event is applied once (inbox) and only when newer than what is
 * held, whatever order the events arrive in; a removed address stays a tombstone so a late save
 * cannot bring it back. A deleted user's addresses are erased, and their later events dropped.
 */
export class AddressProjection {
  constructor(
    private readonly db: Database,
    private readonly wait: AddressWait,
  ) {}

  apply(consumer: string, messageId: string, event: AddressEvent): Promise<AddressEventOutcome> {
    return this.db.$transaction(async (tx) => {
      if (!(await receiveOnce((sql, values) => tx.$executeRawUnsafe(sql, ...values), consumer, messageId))) {
        return 'duplicate';
      }
      // One user's events take turns: an erasure and a save arriving together cannot interleave.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`orders.user-addresses:${event.userId}`}, 0))`;
      if (event.kind === 'user-deleted') {
        await erase(tx, event.userId);
        return 'applied';
      }
      const erased = await tx.erasedUser.findUnique({ where: { userId: event.userId } });
      if (erased) return 'erased';
      const written = event.kind === 'saved' ? await upsertSaved(tx, event) : await upsertRemoved(tx, event);
      return written === 1 ? 'applied' : 'stale';
    });
  }

  /** The viewer's saved address as known now, or null (another user's, removed, or not heard of). */
  async find(userId: string, addressId: string): Promise<ShippingAddressCopy | null> {
    if (!isId(addressId)) return null;
    const row = await this.db.userAddress.findFirst({ where: { addressId, userId, removed: false } });
    if (!row) return null;
    return {
      recipient: row.recipient as string,
      phone: row.phone as string,
      zipCode: row.zipCode as string,
      roadAddress: row.roadAddress as string,
      detailAddress: row.detailAddress as string,
    };
  }

  /**
   * `find`, looking again for up to `waitMs` while the address is not known: one saved a moment ago
   * reaches orders only after the users relay published it. Another user's address waits the same
   * time as an unknown one, so the answer's timing tells nothing of who owns what.
   */
  async waitFor(userId: string, addressId: string): Promise<ShippingAddressCopy | null> {
    for (let waited = 0; ; waited += this.wait.pollMs) {
      const address = await this.find(userId, addressId);
      if (address || waited >= this.wait.waitMs || !isId(addressId)) return address;
      await sleep(this.wait.pollMs);
    }
  }
}

const upsertSaved = (tx: Transaction, address: AddressSaved) =>
  tx.$executeRaw`
    INSERT INTO user_addresses (address_id, user_id, label, recipient, phone, zip_code, road_address, detail_address, removed, version)
    VALUES (${address.addressId}::uuid, ${address.userId}::uuid, ${address.label}, ${address.recipient}, ${address.phone},
            ${address.zipCode}, ${address.roadAddress}, ${address.detailAddress}, false, ${address.version})
    ON CONFLICT (address_id) DO UPDATE
      SET label = excluded.label, recipient = excluded.recipient, phone = excluded.phone, zip_code = excluded.zip_code,
          road_address = excluded.road_address, detail_address = excluded.detail_address, removed = false,
          version = excluded.version, updated_at = now()
      WHERE user_addresses.version < excluded.version AND user_addresses.user_id = excluded.user_id`;

/** A tombstone: the version, and none of the personal data. */
const upsertRemoved = (tx: Transaction, address: AddressRemoved) =>
  tx.$executeRaw`
    INSERT INTO user_addresses (address_id, user_id, removed, version)
    VALUES (${address.addressId}::uuid, ${address.userId}::uuid, true, ${address.version})
    ON CONFLICT (address_id) DO UPDATE
      SET label = NULL, recipient = NULL, phone = NULL, zip_code = NULL, road_address = NULL, detail_address = NULL,
          removed = true, version = excluded.version, updated_at = now()
      WHERE user_addresses.version < excluded.version AND user_addresses.user_id = excluded.user_id`;

async function erase(tx: Transaction, userId: string): Promise<void> {
  await tx.$executeRaw`INSERT INTO erased_users (user_id) VALUES (${userId}::uuid) ON CONFLICT (user_id) DO NOTHING`;
  await tx.userAddress.deleteMany({ where: { userId } });
}
