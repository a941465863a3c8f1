import { isId } from '@radiata/service-runtime';
import DataLoader from 'dataloader';
import type { UsersServices } from './context.js';
import type { UserRecord } from './domain/users.js';

export interface UsersLoaders {
  /** Live (not soft-deleted) users by id; null for unknown or malformed ids. */
  readonly userById: DataLoader<string, UserRecord | null>;
  readonly pointBalanceByUserId: DataLoader<string, number>;
}

/** Per-request batching: one query per entity type per tick, whatever the list size. */
export function createLoaders({ db }: UsersServices): UsersLoaders {
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
