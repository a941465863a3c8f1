import type { Viewer } from '@radiata/auth-context';
import { conflict, notFound } from '@radiata/errors';
import { isId, validateInput } from '@radiata/service-runtime';
import type { TimeSaleProduct } from '../../generated/prisma/client.js';
import { requireSaleManager, requireSaleManagerRole } from './authorization-rules.js';
import type { SalesDependencies } from './dependencies.js';
import {
  checkProductWindow,
  Problems,
  problemsError,
  saleProductInput,
  updateSaleProductInput,
} from './input-rules.js';
import type { TimeSaleProductRecord } from './records.js';
import { phaseAt, sellingWindow } from './window-rules.js';
import { insertSaleProduct, lockSale, productsOfSale, publishRules, withoutOverlap } from './writes.js';

const given = (input: unknown, field: string): boolean =>
  typeof input === 'object' && input !== null && Object.hasOwn(input, field);

/** Products of sales: adding one to a sale and changing its terms. */
export class SaleProducts {
  constructor(private readonly deps: SalesDependencies) {}

  /**
   * Until the sale ends (CONFLICT afterwards). ADMIN, or a SELLER who manages the sale and owns
   * the product's brand. NOT_FOUND for an unknown sale, BAD_USER_INPUT for an unknown product.
   */
  async add(viewer: Viewer | null, timeSaleId: string, rawInput: unknown): Promise<TimeSaleProductRecord> {
    const manager = requireSaleManagerRole(viewer);
    const input = validateInput(saleProductInput, rawInput);
    const { db, redis, keyspace, clock, projection } = this.deps;
    const added = await db.$transaction(async (tx) => {
      const sale = await lockSale(tx, timeSaleId);
      const existing = await productsOfSale(tx, sale.id);
      requireSaleManager(
        manager,
        sale,
        await projection.owners(
          tx,
          existing.map((product) => product.productId),
        ),
      );
      const product = (await projection.saleable(tx, [input.productId])).get(input.productId);
      if (!product) throw problemsError([{ field: 'input.productId', message: 'unknown product' }]);
      requireSaleManager(manager, null, [product.ownerId]);
      const now = clock.now();
      if (phaseAt(sale, now) === 'ENDED') throw conflict('The time sale has ended');
      const problems = new Problems();
      checkProductWindow(problems, input, sale, now, 'input');
      problems.throwIfAny();
      const created = await insertSaleProduct(tx, sale, product, input);
      await publishRules(redis, keyspace, [created]);
      return created;
    });
    await this.deps.announcements.changed(added.timeSaleId);
    return added;
  }

  /**
   * Before the sale starts any valid change. While it runs only what cannot hurt shoppers: a
   * higher discount, a total not below what is sold, a higher or no per-user limit, a later end.
   * Never once it ended (CONFLICT). The sale's managers only; NOT_FOUND for an unknown sale product.
   */
  async update(viewer: Viewer | null, timeSaleProductId: string, rawInput: unknown): Promise<TimeSaleProductRecord> {
    const manager = requireSaleManagerRole(viewer);
    const input = validateInput(updateSaleProductInput, rawInput);
    const { db, redis, keyspace, clock, projection } = this.deps;
    const updated = await db.$transaction(async (tx) => {
      const found = isId(timeSaleProductId)
        ? await tx.timeSaleProduct.findFirst({
            where: { id: timeSaleProductId, saleDeleted: false },
            select: { timeSaleId: true },
          })
        : null;
      if (!found) throw notFound('Time sale product');
      // Sale first, then its product: the order every change of a sale locks in.
      const sale = await lockSale(tx, found.timeSaleId);
      await tx.$queryRaw`SELECT id FROM time_sale_products WHERE id = ${timeSaleProductId}::uuid FOR NO KEY UPDATE`;
      const saleProducts = await productsOfSale(tx, sale.id);
      const current = saleProducts.find((product) => product.id === timeSaleProductId) as TimeSaleProduct;
      requireSaleManager(
        manager,
        sale,
        await projection.owners(
          tx,
          saleProducts.map((product) => product.productId),
        ),
      );
      const now = clock.now();
      const phase = phaseAt(sale, now);
      if (phase === 'ENDED') throw conflict('The time sale has ended');
      const next = {
        discountRate: input.discountRate ?? current.discountRate,
        totalQuantity: input.totalQuantity ?? current.totalQuantity,
        perUserLimit: given(rawInput, 'perUserLimit') ? (input.perUserLimit ?? null) : current.perUserLimit,
        startAt: given(rawInput, 'startAt') ? (input.startAt ?? null) : current.startAt,
        endAt: given(rawInput, 'endAt') ? (input.endAt ?? null) : current.endAt,
      };
      if (phase === 'RUNNING') refuseHarmfulChange(current, next);
      const problems = new Problems();
      checkProductWindow(problems, next, sale, now, 'input');
      if (next.totalQuantity < current.soldQuantity) {
        problems.add('input.totalQuantity', `must not be less than the ${current.soldQuantity} already sold`);
      }
      problems.throwIfAny();
      const changed = await withoutOverlap(() => tx.timeSaleProduct.update({ where: { id: current.id }, data: next }));
      // Redis refuses a total below the reservations it has accepted, recorded in PostgreSQL or not.
      await publishRules(redis, keyspace, [changed]);
      return changed;
    });
    await this.deps.announcements.changed(updated.timeSaleId);
    return updated;
  }
}

type Terms = Pick<TimeSaleProduct, 'discountRate' | 'perUserLimit' | 'startAt' | 'endAt'>;

/** While a sale runs shoppers have seen its terms: a change may only make them better. */
function refuseHarmfulChange(current: TimeSaleProduct, next: Terms): void {
  if (next.discountRate < current.discountRate) {
    throw conflict('The time sale is live: the discount rate can only go up (a lower one raises the price)');
  }
  if (next.perUserLimit !== null && (current.perUserLimit === null || next.perUserLimit < current.perUserLimit)) {
    throw conflict('The time sale is live: the per-user limit can only go up or be removed');
  }
  const before = sellingWindow(current);
  const after = sellingWindow({ ...current, startAt: next.startAt, endAt: next.endAt });
  if (after.startAt.getTime() !== before.startAt.getTime()) {
    throw conflict('The time sale is live: the product’s start cannot change');
  }
  if (after.endAt < before.endAt) throw conflict('The time sale is live: the product cannot stop selling earlier');
}
