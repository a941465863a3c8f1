import { isId } from '@radiata/service-runtime';
import DataLoader from 'dataloader';
import type { PaymentRecord } from './domain/payments.js';
import type { RefundRecord } from './domain/refunds.js';
import type { WalletRecord } from './domain/wallets.js';
import type { Database } from './persistence/database.js';

export interface PaymentsLoaders {
  /** Payments by id; null for unknown or malformed ids. */
  readonly paymentById: DataLoader<string, PaymentRecord | null>;
  /** Wallets by owner; null when the user has none. */
  readonly walletByUserId: DataLoader<string, WalletRecord | null>;
  /** Each payment's refunds, oldest first. */
  readonly refundsByPaymentId: DataLoader<string, RefundRecord[]>;
}

/** What the loaders read through (a part of PaymentsServices). */
export interface LoaderServices {
  readonly db: Database;
}

/** Per-request batching: one query per entity type per tick, whatever the list size. */
export function createLoaders({ db }: LoaderServices): PaymentsLoaders {
  return {
    paymentById: new DataLoader(async (ids) => {
      const valid = ids.filter(isId);
      const rows = valid.length ? await db.payment.findMany({ where: { id: { in: valid } } }) : [];
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    walletByUserId: new DataLoader(async (userIds) => {
      const valid = userIds.filter(isId);
      const rows = valid.length ? await db.wallet.findMany({ where: { userId: { in: valid } } }) : [];
      const byUser = new Map(rows.map((row) => [row.userId, row]));
      return userIds.map((id) => byUser.get(id) ?? null);
    }),
    refundsByPaymentId: new DataLoader(async (paymentIds) => {
      const valid = paymentIds.filter(isId);
      const rows = valid.length
        ? await db.refund.findMany({ where: { paymentId: { in: valid } }, orderBy: { id: 'asc' } })
        : [];
      return paymentIds.map((id) => rows.filter((row) => row.paymentId === id));
    }),
  };
}
