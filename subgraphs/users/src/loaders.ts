import { isId } from '@radiata/service-runtime';
import DataLoader from 'dataloader';
import type { UserRecord } from './domain/users.js';
import type { Database } from './persistence/database.js';

export interface UsersLoaders {
  /** Live (not soft-deleted) users by id; null for unknown or malformed ids. */
  readonly userById: DataLoader<string, UserRecord | null>;
  readonly pointBalanceByUserId: DataLoader<string, number>;
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
  };
}
