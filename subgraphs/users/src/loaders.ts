import { isId } from '@radiata/service-runtime';
import DataLoader from 'dataloader';
import type { AddressRecord } from './domain/address-book.js';
import type { SellerApplicationRecord } from './domain/seller-applications.js';
import type { UserRecord } from './domain/users.js';
import type { Database } from './persistence/database.js';

export interface UsersLoaders {
  /** Live (not soft-deleted) users by id; null for unknown or malformed ids. */
  readonly userById: DataLoader<string, UserRecord | null>;
  readonly pointBalanceByUserId: DataLoader<string, number>;
  /** Each user's seller applications, newest first. */
  readonly sellerApplicationsByUserId: DataLoader<string, SellerApplicationRecord[]>;
  /** Each user's address book: the default first, then the newest. */
  readonly addressesByUserId: DataLoader<string, AddressRecord[]>;
}

/** What the loaders read through (a part of UsersServices). */
export interface LoaderServices {
  readonly db: Database;
}

/** Per-request batching: one query per entity type per tick, whatever the list size. */
export function createLoaders({ db }: LoaderServices): UsersLoaders {
  return {
    userById: new DataLoader(async (ids) => {
      const valid = ids.filter(isId);
      const rows = valid.length ? await db.user.findMany({ where: { id: { in: valid }, deletedAt: null } }) : [];
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    pointBalanceByUserId: new DataLoader(async (userIds) => {
      const rows = await db.pointAccount.findMany({ where: { userId: { in: [...userIds] } } });
      const byId = new Map(rows.map((row) => [row.userId, row.balance]));
      return userIds.map((id) => byId.get(id) ?? 0);
    }),
    sellerApplicationsByUserId: new DataLoader(async (userIds) => {
      const valid = userIds.filter(isId);
      const rows = valid.length
        ? await db.sellerApplication.findMany({ where: { userId: { in: valid } }, orderBy: { id: 'desc' } })
        : [];
      const byUser = new Map<string, SellerApplicationRecord[]>();
      for (const row of rows) byUser.set(row.userId, [...(byUser.get(row.userId) ?? []), row]);
      return userIds.map((id) => byUser.get(id) ?? []);
    }),
    addressesByUserId: new DataLoader(async (userIds) => {
      const valid = userIds.filter(isId);
      const rows = valid.length
        ? await db.userAddress.findMany({
            where: { userId: { in: valid } },
            orderBy: [{ isDefault: 'desc' }, { createdAt: 'desc' }, { id: 'desc' }],
          })
        : [];
      const byUser = new Map<string, AddressRecord[]>();
      for (const row of rows) byUser.set(row.userId, [...(byUser.get(row.userId) ?? []), row]);
      return userIds.map((id) => byUser.get(id) ?? []);
    }),
  };
}
