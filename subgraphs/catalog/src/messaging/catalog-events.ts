import { enqueue } from '@radiata/outbox';
import type { Transaction } from '../persistence/database.js';

/** The topic exchange catalog events are published to (routing keys `catalog.product.*`, `catalog.brand.changed`, `catalog.grade.changed`). */
export const CATALOG_EXCHANGE = 'radiata.catalog';

export interface CatalogEvent {
  readonly routingKey: string;
  readonly payload: Record<string, unknown>;
}

/**
 * Records events in the transaction of the change they describe (transactional outbox): they
 * are published if and only if the change commits.
 */
export type RecordEvents = (tx: Transaction, events: readonly CatalogEvent[]) => Promise<void>;

/** Catalog events go through the outbox of the catalog database; its relay publishes them to CATALOG_EXCHANGE. */
export const recordEvents: RecordEvents = async (tx, events) => {
  await enqueue(
    (sql, values) => tx.$executeRawUnsafe(sql, ...values),
    events.map((event) => ({ exchange: CATALOG_EXCHANGE, routingKey: event.routingKey, payload: event.payload })),
  );
};

interface ProductState {
  readonly id: string;
  readonly brandId: string;
  /** The brand owner (SELLER), where the change knows it: consumers authorize sellers by it. */
  readonly ownerId?: string;
  readonly categoryId?: string;
  readonly name?: string;
  readonly price: number;
  readonly discountAmount: number;
  readonly stock: number;
  readonly status: string;
  readonly version: number;
}

const priceOf = (product: ProductState) => ({
  price: product.price,
  discountAmount: product.discountAmount,
  salePrice: product.price - product.discountAmount,
});

const base = (product: ProductState, occurredAt: Date) => ({
  productId: product.id,
  brandId: product.brandId,
  ...(product.ownerId ? { ownerId: product.ownerId } : {}),
  version: product.version,
  occurredAt: occurredAt.toISOString(),
});

/** The `catalog.product.*` events, each as of `at` (the service's clock when the change was made). */
export const productEvents = {
  created: (product: ProductState, at: Date): CatalogEvent => ({
    routingKey: 'catalog.product.created',
    payload: {
      ...base(product, at),
      categoryId: product.categoryId,
      name: product.name,
      ...priceOf(product),
      stock: product.stock,
      status: product.status,
    },
  }),
  priceChanged: (product: ProductState, at: Date): CatalogEvent => ({
    routingKey: 'catalog.product.price-changed',
    payload: { ...base(product, at), ...priceOf(product) },
  }),
  stockChanged: (
    product: ProductState,
    change: { delta: number; previousStatus: string; orderId?: string },
    at: Date,
  ): CatalogEvent => ({
    routingKey: 'catalog.product.stock-changed',
    payload: {
      ...base(product, at),
      stock: product.stock,
      delta: change.delta,
      status: product.status,
      previousStatus: change.previousStatus,
      ...(change.orderId ? { orderId: change.orderId } : {}),
    },
  }),
  statusChanged: (product: ProductState, previousStatus: string, at: Date): CatalogEvent => ({
    routingKey: 'catalog.product.status-changed',
    payload: { ...base(product, at), status: product.status, previousStatus, stock: product.stock },
  }),
  deleted: (product: ProductState, at: Date): CatalogEvent => ({
    routingKey: 'catalog.product.deleted',
    payload: base(product, at),
  }),
};

/** Routing key of a brand's state after each change (created, renamed, graded, deleted), and of its republished snapshot. */
export const CATALOG_BRAND_CHANGED = 'catalog.brand.changed';
/** Routing key of a brand grade's state after each change (created, renamed, new fee rate), and of its republished snapshot. */
export const CATALOG_GRADE_CHANGED = 'catalog.grade.changed';

interface BrandState {
  readonly id: string;
  readonly ownerId: string;
  readonly name: string;
  readonly grade: string;
  readonly version: number;
  readonly deletedAt: Date | null;
}

/** The `catalog.brand.changed` event: the whole brand as of `at` (consumers keep the highest version). */
export const brandEvents = {
  changed: (brand: BrandState, at: Date): CatalogEvent => ({
    routingKey: CATALOG_BRAND_CHANGED,
    payload: {
      brandId: brand.id,
      ownerId: brand.ownerId,
      name: brand.name,
      grade: brand.grade,
      deleted: brand.deletedAt !== null,
      version: brand.version,
      occurredAt: at.toISOString(),
    },
  }),
};

interface GradeState {
  readonly code: string;
  readonly name: string;
  readonly feeRateBp: number;
  readonly version: number;
}

/** The `catalog.grade.changed` event: the whole grade as of `at` (consumers keep the highest version). */
export const gradeEvents = {
  changed: (grade: GradeState, at: Date): CatalogEvent => ({
    routingKey: CATALOG_GRADE_CHANGED,
    payload: {
      grade: grade.code,
      name: grade.name,
      feeRateBasisPoints: grade.feeRateBp,
      version: grade.version,
      occurredAt: at.toISOString(),
    },
  }),
};
