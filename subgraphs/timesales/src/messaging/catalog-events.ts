import { readEvent } from '@radiata/inbox';
import { isId } from '@radiata/service-runtime';
import { z } from 'zod';

/** The catalog's topic exchange (declared here too, so binding works whichever service starts first). */
export const CATALOG_EXCHANGE = 'radiata.catalog';

/**
 * The durable queue of catalog product events feeding the products projection, and its name in
 * the inbox (`inbox_messages.consumer`). A fixed name: the connection's RABBITMQ_NAMESPACE keeps
 * deployments and test runs sharing a broker apart. Unreadable events go to `<queue>.dead-letter`.
 */
export const CATALOG_PRODUCTS_QUEUE = 'timesales.catalog-products';

export const CATALOG_PRODUCT_ROUTING_KEYS = [
  'catalog.product.created',
  'catalog.product.price-changed',
  'catalog.product.stock-changed',
  'catalog.product.status-changed',
  'catalog.product.deleted',
] as const;

export type CatalogProductRoutingKey = (typeof CATALOG_PRODUCT_ROUTING_KEYS)[number];

const id = z.string().refine(isId, 'must be a UUID');
const base = z.object({
  productId: id,
  brandId: id,
  ownerId: id.nullish(),
  version: z.number().int().min(0),
});
const priceGroup = z.object({ price: z.number().int().positive(), discountAmount: z.number().int().min(0) });
const availabilityGroup = z.object({
  status: z.enum(['ON_SALE', 'SOLD_OUT', 'HIDDEN']),
  stock: z.number().int().min(0),
});

const payloads = {
  'catalog.product.created': base.extend(priceGroup.shape).extend(availabilityGroup.shape),
  'catalog.product.price-changed': base.extend(priceGroup.shape),
  'catalog.product.stock-changed': base.extend(availabilityGroup.shape),
  'catalog.product.status-changed': base.extend(availabilityGroup.shape),
  'catalog.product.deleted': base,
} as const satisfies Record<CatalogProductRoutingKey, z.ZodType>;

/** One catalog product event as it arrives (the shape @radiata/inbox hands its consumers). */
export interface CatalogMessage {
  /** The AMQP messageId (the catalog's outbox row id): the inbox deduplicates by it. */
  readonly messageId: string;
  readonly routingKey: string;
  readonly payload: unknown;
}

/** What one catalog product event says: the groups of fields it carries, at the product's version. */
export interface CatalogProductChange {
  readonly productId: string;
  readonly brandId: string;
  readonly ownerId: string | null;
  readonly version: number;
  readonly price: { readonly price: number; readonly discountAmount: number } | null;
  readonly availability: { readonly status: string; readonly stock: number } | null;
  readonly deleted: boolean;
}

/**
 * Reads a catalog product event; MalformedEvent (@radiata/inbox: dead-lettered, retrying will not
 * help) for an unknown routing key or a malformed payload.
 */
export function parseCatalogEvent(message: Pick<CatalogMessage, 'routingKey' | 'payload'>): CatalogProductChange {
  const { routingKey } = message;
  const event = readEvent(payloads, routingKey, message.payload) as z.infer<typeof base> &
    Partial<z.infer<typeof priceGroup>> &
    Partial<z.infer<typeof availabilityGroup>>;
  return {
    productId: event.productId,
    brandId: event.brandId,
    ownerId: event.ownerId ?? null,
    version: event.version,
    price: event.price === undefined ? null : { price: event.price, discountAmount: event.discountAmount as number },
    availability: event.status === undefined ? null : { status: event.status, stock: event.stock as number },
    deleted: routingKey === 'catalog.product.deleted',
  };
}
