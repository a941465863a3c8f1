import { isId } from '@radiata/service-runtime';
import DataLoader from 'dataloader';
import type { OrderRecord } from './domain/orders.js';
import type { OrderTransition } from './generated/prisma/client.js';
import type { Database } from './persistence/database.js';

export interface OrdersLoaders {
  /** Orders (with their lines) by id; null for unknown or malformed ids. */
  readonly orderById: DataLoader<string, OrderRecord | null>;
  /** Each order's status changes, oldest first. */
  readonly historyByOrderId: DataLoader<string, OrderTransition[]>;
}

export interface LoaderServices {
  readonly db: Database;
}

/** Per-request batching: one query per entity type per tick, whatever the list size. */
export function createLoaders({ db }: LoaderServices): OrdersLoaders {
  return {
    orderById: new DataLoader(async (ids) => {
      const valid = ids.filter(isId);
      const rows = valid.length
        ? await db.order.findMany({ where: { id: { in: valid } }, include: { items: { orderBy: { line: 'asc' } } } })
        : [];
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    historyByOrderId: new DataLoader(async (orderIds) => {
      const valid = orderIds.filter(isId);
      const rows = valid.length
        ? await db.orderTransition.findMany({ where: { orderId: { in: valid } }, orderBy: { id: 'asc' } })
        : [];
      const byOrder = new Map<string, OrderTransition[]>();
      for (const row of rows) byOrder.set(row.orderId, [...(byOrder.get(row.orderId) ?? []), row]);
      return orderIds.map((id) => byOrder.get(id) ?? []);
    }),
  };
}
