import type { Viewer } from '@radiata/auth-context';
import { badUserInput, conflict } from '@radiata/errors';
import {
  type Connection,
  decodeCursor,
  isId,
  newId,
  type PageRequest,
  pageSize,
  toConnection,
  validateInput,
} from '@radiata/service-runtime';
import { Prisma } from '../../generated/prisma/client.js';
import type { Transaction } from '../../persistence/database.js';
import type { SaleableProduct } from '../catalog/projection.js';
import { requireSaleManager, requireSaleManagerRole } from './authorization-rules.js';
import type { SalesDependencies } from './dependencies.js';
import {
  checkProductWindow,
  checkSaleWindow,
  createTimeSaleInput,
  Problems,
  updateTimeSaleInput,
} from './input-rules.js';
import type { TimeSaleRecord } from './records.js';
import { phaseAt, type TimeSaleStatus } from './window-rules.js';
import { insertSaleProduct, lockSale, productsOfSale, publishRules, withoutOverlap } from './writes.js';

export interface TimeSaleListRequest extends PageRequest {
  /** Only sales in this status; every status when absent. */
  readonly status?: TimeSaleStatus | null;
}

/** Cursor of the by-start listing: the start instant and the id that breaks ties. */
const saleCursor = (sale: TimeSaleRecord) => `${sale.startAt.toISOString()}|${sale.id}`;

function decodeSaleCursor(cursor: string | null | undefined): { startAt: Date; id: string } | undefined {
  const key = decodeCursor(cursor);
  if (key === undefined) return undefined;
  const [start, id] = key.split('|');
  const startAt = new Date(start ?? '');
  if (!id || !isId(id) || Number.isNaN(startAt.getTime())) throw badUserInput('after is not a valid cursor');
  return { startAt, id };
}

function statusCondition(status: TimeSaleStatus, now: Date): Prisma.Sql {
  const anyProduct = Prisma.sql`EXISTS (SELECT 1 FROM time_sale_products p WHERE p.time_sale_id = s.id)`;
  const anyLeft = Prisma.sql`EXISTS (
    SELECT 1 FROM time_sale_products p WHERE p.time_sale_id = s.id AND p.sold_quantity < p.total_quantity)`;
  const running = Prisma.sql`s.start_at <= ${now}::timestamptz AND s.end_at > ${now}::timestamptz`;
  switch (status) {
    case 'SCHEDULED':
      return Prisma.sql`s.start_at > ${now}::timestamptz`;
    case 'ENDED':
      return Prisma.sql`s.end_at <= ${now}::timestamptz`;
    case 'LIVE':
      return Prisma.sql`${running} AND (NOT ${anyProduct} OR ${anyLeft})`;
    case 'SOLD_OUT':
      return Prisma.sql`${running} AND ${anyProduct} AND NOT ${anyLeft}`;
  }
}

/**
 * Time sales: defining, changing and deleting them. PostgreSQL holds them and enforces the
 * rules that span rows (no product in two sales at once); the reservation rules of their
 * products go to Redis inside the same transaction. Every committed change is announced, so
 * schedulers re-arm.
 */
export class TimeSales {
  constructor(private readonly deps: SalesDependencies) {}

  /**
   * By start, soonest first. LIVE and SOLD_OUT are told apart by the quantities PostgreSQL has
   * recorded (the `status` field reads Redis, which runs ahead by the reservations in flight).
   * Public: anyone may list sales. An invalid `first` or `after` is BAD_USER_INPUT.
   */
  async list(args: TimeSaleListRequest): Promise<Connection<TimeSaleRecord>> {
    const size = pageSize(args.first);
    const after = decodeSaleCursor(args.after);
    const conditions = [Prisma.sql`s.deleted_at IS NULL`];
    if (args.status) conditions.push(statusCondition(args.status, this.deps.clock.now()));
    if (after) conditions.push(Prisma.sql`(s.start_at, s.id) > (${after.startAt}::timestamptz, ${after.id}::uuid)`);
    const page = await this.deps.db.$queryRaw<{ id: string }[]>`
      SELECT s.id FROM time_sales s WHERE ${Prisma.join(conditions, ' AND ')}
      ORDER BY s.start_at, s.id LIMIT ${size + 1}`;
    const ids = page.map((row) => row.id);
    const rows = await this.deps.db.timeSale.findMany({ where: { id: { in: ids } } });
    const byId = new Map(rows.map((row) => [row.id, row]));
    return toConnection(
      ids.flatMap((id) => byId.get(id) ?? []),
      size,
      saleCursor,
    );
  }

  /**
   * ADMIN, or a SELLER who owns the brand of every product (an empty sale: anyone of them, and it
   * is theirs). BAD_USER_INPUT for invalid input or unknown products, CONFLICT when a product is
   * in another sale at an overlapping time.
   */
  async create(viewer: Viewer | null, rawInput: unknown): Promise<TimeSaleRecord> {
    const manager = requireSaleManagerRole(viewer);
    const input = validateInput(createTimeSaleInput, rawInput);
    const { db, redis, keyspace, clock, projection } = this.deps;
    const products = input.products ?? [];
    const now = clock.now();
    const problems = new Problems();
    checkSaleWindow(problems, input, now);
    products.forEach((product, index) => {
      checkProductWindow(problems, product, input, now, `input.products.${index}`);
    });
    problems.throwIfAny();

    const sale = await db.$transaction(async (tx) => {
      const known = await projection.saleable(
        tx,
        products.map((product) => product.productId),
      );
      products.forEach((product, index) => {
        if (!known.has(product.productId)) problems.add(`input.products.${index}.productId`, 'unknown product');
      });
      problems.throwIfAny();
      requireSaleManager(
        manager,
        null,
        products.map((product) => known.get(product.productId)?.ownerId ?? null),
      );
      const created = await tx.timeSale.create({
        data: { id: newId(), title: input.title, startAt: input.startAt, endAt: input.endAt, createdBy: manager.id },
      });
      const saleProducts = [];
      for (const product of products) {
        saleProducts.push(
          await insertSaleProduct(tx, created, known.get(product.productId) as SaleableProduct, product),
        );
      }
      await publishRules(redis, keyspace, saleProducts);
      return created;
    });
    await this.deps.announcements.changed(sale.id);
    return sale;
  }

  /**
   * The sale's managers (see requireSaleManager). Before the start anything valid; once it runs
   * only the title and a later end; never once ended (CONFLICT). NOT_FOUND for an unknown sale.
   */
  async update(viewer: Viewer | null, timeSaleId: string, rawInput: unknown): Promise<TimeSaleRecord> {
    const manager = requireSaleManagerRole(viewer);
    const input = validateInput(updateTimeSaleInput, rawInput);
    const { db, redis, keyspace, clock } = this.deps;
    const sale = await db.$transaction(async (tx) => {
      const { current, saleProducts } = await this.lockManaged(tx, manager, timeSaleId);
      const now = clock.now();
      const phase = phaseAt(current, now);
      if (phase === 'ENDED') throw conflict('The time sale has ended');
      const window = { startAt: input.startAt ?? current.startAt, endAt: input.endAt ?? current.endAt };
      const moved =
        window.startAt.getTime() !== current.startAt.getTime() || window.endAt.getTime() !== current.endAt.getTime();
      if (phase === 'RUNNING') {
        if (window.startAt.getTime() !== current.startAt.getTime()) {
          throw conflict('The time sale has started: its start cannot change');
        }
        if (window.endAt < current.endAt) throw conflict('The time sale is live: it cannot end earlier');
      }
      const problems = new Problems();
      if (phase === 'SCHEDULED' && moved) checkSaleWindow(problems, window, now);
      for (const product of saleProducts) {
        if (product.startAt && product.startAt < window.startAt) {
          problems.add('input.startAt', `must not be after the start of its product ${product.id}`);
        }
        if (product.endAt && product.endAt > window.endAt) {
          problems.add('input.endAt', `must not be before the end of its product ${product.id}`);
        }
      }
      problems.throwIfAny();
      const updated = await withoutOverlap(() =>
        tx.timeSale.update({
          where: { id: current.id },
          data: { title: input.title ?? undefined, startAt: window.startAt, endAt: window.endAt },
        }),
      );
      // The products' copies of the window followed (ON UPDATE CASCADE): re-read them.
      if (moved) await publishRules(redis, keyspace, await productsOfSale(tx, current.id));
      return updated;
    });
    await this.deps.announcements.changed(sale.id);
    return sale;
  }

  /** The sale's managers. Soft delete, only before the sale starts (CONFLICT afterwards). */
  async delete(viewer: Viewer | null, timeSaleId: string): Promise<void> {
    const manager = requireSaleManagerRole(viewer);
    const { db, redis, keyspace, clock } = this.deps;
    await db.$transaction(async (tx) => {
      const { current } = await this.lockManaged(tx, manager, timeSaleId);
      const now = clock.now();
      if (phaseAt(current, now) !== 'SCHEDULED')
        throw conflict('The time sale has started: it can no longer be deleted');
      await tx.timeSale.update({ where: { id: current.id }, data: { deletedAt: now } });
      await publishRules(redis, keyspace, await productsOfSale(tx, current.id));
    });
    await this.deps.announcements.changed(timeSaleId);
  }

  /** Locks a live sale (NOT_FOUND otherwise) that `manager` may manage (FORBIDDEN otherwise), with its products. */
  private async lockManaged(tx: Transaction, manager: Viewer, timeSaleId: string) {
    const current = await lockSale(tx, timeSaleId);
    const saleProducts = await productsOfSale(tx, current.id);
    const owners = await this.deps.projection.owners(
      tx,
      saleProducts.map((product) => product.productId),
    );
    requireSaleManager(manager, current, owners);
    return { current, saleProducts };
  }
}
