import type { Viewer } from '@radiata/auth-context';
import { badUserInput, notFound } from '@radiata/errors';
import { type Clock, isId, newId, validateInput } from '@radiata/service-runtime';
import { z } from 'zod';
import type { Product } from '../generated/prisma/client.js';
import { productEvents, type RecordEvents } from '../messaging/catalog-events.js';
import type { Database, Transaction } from '../persistence/database.js';
import { type BrandRecord, type Brands, canManageBrand, requireBrandManager } from './brands.js';
import { adjustStockAtomically } from './stock.js';

export type ProductRecord = Product;

/**
 * Who may see a live product, however it is reached (product(id), lists, or another subgraph's
 * reference): anyone, except a HIDDEN one, which only its brand's managers see.
 */
export const isVisibleTo = (
  viewer: Viewer | null,
  product: Pick<ProductRecord, 'status'>,
  brand: Pick<BrandRecord, 'ownerId'> | null,
): boolean => product.status !== 'HIDDEN' || (brand !== null && canManageBrand(viewer, brand));

export const MAX_PRICE = 1_000_000_000;
export const MAX_STOCK = 10_000_000;

const id = (what: string) => z.string().refine(isId, `is not a ${what} id`);
const name = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');
const description = z.string().max(5000, 'must be at most 5000 characters');
const price = z.number().int().min(1, 'must be at least 1 won').max(MAX_PRICE, `must be at most ${MAX_PRICE} won`);
const discount = z.number().int().min(0, 'must not be negative').max(MAX_PRICE);
const gender = z.enum(['ALL', 'MAN', 'WOMAN']);
const color = z.enum(['RED', 'ORANGE', 'YELLOW', 'GREEN', 'BLUE', 'NAVY', 'PURPLE']);
const size = z.enum(['SMALL', 'MEDIUM', 'LARGE', 'FREE']);
const settableStatus = z.enum(['ON_SALE', 'HIDDEN'], {
  error: 'must be ON_SALE or HIDDEN (SOLD_OUT follows the stock)',
});

const createProductInput = z
  .object({
    brandId: id('brand'),
    categoryId: id('category'),
    name,
    description: description.nullish(),
    price,
    discountAmount: discount.nullish(),
    gender,
    color,
    size,
    stockQuantity: z.number().int().min(0, 'must not be negative').max(MAX_STOCK),
    status: settableStatus.nullish(),
  })
  // (Only meaningful for a valid price: an invalid one is reported on its own.)
  .refine((input) => !(input.price >= 1) || (input.discountAmount ?? 0) < input.price, {
    path: ['discountAmount'],
    message: 'must be less than the price',
  });

const updateProductInput = z.object({
  categoryId: id('category').nullish(),
  name: name.nullish(),
  description: description.nullish(),
  price: price.nullish(),
  discountAmount: discount.nullish(),
  gender: gender.nullish(),
  color: color.nullish(),
  size: size.nullish(),
  status: settableStatus.nullish(),
});

const stockDelta = z
  .number()
  .int()
  .min(-MAX_STOCK)
  .max(MAX_STOCK)
  .refine((delta) => delta !== 0, 'must not be zero');

/** Outside HIDDEN, status is a function of stock. */
const statusFor = (requested: 'ON_SALE' | 'HIDDEN', stock: number): ProductRecord['status'] =>
  requested === 'HIDDEN' ? 'HIDDEN' : stock > 0 ? 'ON_SALE' : 'SOLD_OUT';

const unknownCategory = () =>
  badUserInput('input.categoryId: no such category', [{ field: 'input.categoryId', message: 'no such category' }]);

/** Product writes: each change and its events commit together (transactional outbox). */
export class Products {
  constructor(
    private readonly db: Database,
    private readonly brands: Brands,
    private readonly recordEvents: RecordEvents,
    private readonly clock: Clock,
  ) {}

  /** A live product the viewer may see (HIDDEN only for its managers), or null. */
  async find(viewer: Viewer | null, productId: string): Promise<ProductRecord | null> {
    if (!isId(productId)) return null;
    const product = await this.db.product.findFirst({
      where: { id: productId, deletedAt: null },
      include: { brand: { select: { ownerId: true } } },
    });
    if (!product || !isVisibleTo(viewer, product, product.brand)) return null;
    const { brand: _brand, ...record } = product;
    return record;
  }

  /** The brand's owner or ADMIN. Invalid input or an unknown category: BAD_USER_INPUT naming the field. */
  async create(viewer: Viewer | null, rawInput: unknown): Promise<ProductRecord> {
    const input = validateInput(createProductInput, rawInput);
    const brand = await this.brands.get(input.brandId);
    requireBrandManager(viewer, brand);
    return this.db.$transaction(async (tx) => {
      // Shares the brand's lock: a concurrent deleteBrand cannot miss this product.
      const live = await tx.$queryRaw<unknown[]>`
        SELECT id FROM brands WHERE id = ${brand.id}::uuid AND deleted_at IS NULL FOR SHARE`;
      if (live.length === 0) throw notFound('Brand');
      await this.requireCategory(tx, input.categoryId);
      const product = await tx.product.create({
        data: {
          id: newId(),
          brandId: brand.id,
          categoryId: input.categoryId,
          name: input.name,
          description: input.description ?? '',
          price: input.price,
          discountAmount: input.discountAmount ?? 0,
          gender: input.gender,
          color: input.color,
          size: input.size,
          stock: input.stockQuantity,
          status: statusFor(input.status ?? 'ON_SALE', input.stockQuantity),
        },
      });
      await this.recordEvents(tx, [productEvents.created({ ...product, ownerId: brand.ownerId }, this.clock.now())]);
      return product;
    });
  }

  /** The brand's owner or ADMIN; only the fields given change (a discount not below the price: BAD_USER_INPUT). */
  async update(viewer: Viewer | null, productId: string, rawInput: unknown): Promise<ProductRecord> {
    const input = validateInput(updateProductInput, rawInput);
    return this.db.$transaction(async (tx) => {
      const current = await this.lockForManager(tx, viewer, productId);
      const price = input.price ?? current.price;
      const discountAmount = input.discountAmount ?? current.discountAmount;
      if (discountAmount >= price) {
        const field = input.discountAmount != null ? 'input.discountAmount' : 'input.price';
        const message = 'the discount must be less than the price';
        throw badUserInput(`${field}: ${message}`, [{ field, message }]);
      }
      if (input.categoryId) await this.requireCategory(tx, input.categoryId);
      const status = input.status ? statusFor(input.status, current.stock) : current.status;
      const updated = await tx.product.update({
        where: { id: current.id },
        data: {
          categoryId: input.categoryId ?? undefined,
          name: input.name ?? undefined,
          description: input.description ?? undefined,
          price,
          discountAmount,
          gender: input.gender ?? undefined,
          color: input.color ?? undefined,
          size: input.size ?? undefined,
          status,
          version: { increment: 1 },
        },
      });
      const at = this.clock.now();
      const events = [];
      if (price !== current.price || discountAmount !== current.discountAmount) {
        events.push(productEvents.priceChanged({ ...updated, ownerId: current.ownerId }, at));
      }
      if (status !== current.status) {
        events.push(productEvents.statusChanged({ ...updated, ownerId: current.ownerId }, current.status, at));
      }
      if (events.length > 0) await this.recordEvents(tx, events);
      return updated;
    });
  }

  /** Soft delete. The brand's owner or ADMIN. */
  async delete(viewer: Viewer | null, productId: string): Promise<void> {
    await this.db.$transaction(async (tx) => {
      const current = await this.lockForManager(tx, viewer, productId);
      const at = this.clock.now();
      const deleted = await tx.product.update({
        where: { id: current.id },
        data: { deletedAt: at, version: { increment: 1 } },
      });
      await this.recordEvents(tx, [productEvents.deleted({ ...deleted, ownerId: current.ownerId }, at)]);
    });
  }

  /** Adds (negative: removes) stock. The brand's owner or ADMIN; never below zero (BAD_USER_INPUT). */
  async adjustStock(viewer: Viewer | null, productId: string, rawDelta: number): Promise<ProductRecord> {
    const delta = validateInput(stockDelta, rawDelta, 'delta');
    // No lock: a product's brand and a brand's owner never change, so the check holds; the
    // change itself is one statement that queues on the row (see adjustStockAtomically).
    if (!isId(productId)) throw notFound('Product');
    const current = await this.db.product.findFirst({
      where: { id: productId, deletedAt: null },
      include: { brand: { select: { ownerId: true } } },
    });
    if (!current) throw notFound('Product');
    requireBrandManager(viewer, current.brand);
    const { brand: _brand, ...record } = current;
    const changed = await adjustStockAtomically(
      this.db,
      { id: record.id, brandId: record.brandId },
      delta,
      this.clock.now(),
    );
    if (!changed) {
      const now = await this.db.product.findFirst({
        where: { id: record.id, deletedAt: null },
        select: { stock: true },
      });
      if (!now) throw notFound('Product');
      throw badUserInput(`delta: the stock is ${now.stock}; it cannot go below zero`, [
        { field: 'delta', message: `the stock is ${now.stock}; it cannot go below zero` },
      ]);
    }
    // Fields the change did not touch are as read above; a concurrent edit of them is not this answer's.
    const { stock, status, version, updatedAt } = changed;
    return { ...record, stock, status, version, updatedAt };
  }

  /** Locks a live product for a change by its brand's owner or an admin (NOT_FOUND, UNAUTHENTICATED, FORBIDDEN). */
  private async lockForManager(
    tx: Transaction,
    viewer: Viewer | null,
    productId: string,
  ): Promise<ProductRecord & { ownerId: string }> {
    if (!isId(productId)) throw notFound('Product');
    const locked = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM products WHERE id = ${productId}::uuid AND deleted_at IS NULL FOR UPDATE`;
    if (locked.length === 0) throw notFound('Product');
    const product = await tx.product.findUniqueOrThrow({
      where: { id: productId },
      include: { brand: { select: { ownerId: true } } },
    });
    requireBrandManager(viewer, product.brand);
    const { brand, ...record } = product;
    return { ...record, ownerId: brand.ownerId };
  }

  private async requireCategory(tx: Transaction, categoryId: string): Promise<void> {
    if (!(await tx.category.findUnique({ where: { id: categoryId }, select: { id: true } }))) throw unknownCategory();
  }
}
