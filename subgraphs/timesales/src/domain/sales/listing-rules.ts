import type { Viewer } from '@radiata/auth-context';

/** What the products projection (fed by catalog events) knows of a product's visibility. */
export interface CatalogVisibility {
  readonly deleted: boolean;
  /** The catalog status (ON_SALE, SOLD_OUT, HIDDEN); null until an event has said. */
  readonly status: string | null;
  /** The owner of the product's brand; null until an event has said. */
  readonly ownerId: string | null;
}

/**
 * Whether a sale lists one of its products to this viewer. Deleting a product in the catalog
 * withdraws it from every sale: it is never listed again (its rows stay, for orders already
 * placed). A HIDDEN product is listed only to those the catalog shows it to: an admin and the
 * owner of its brand. An unknown product (no projection yet) is listed; the catalog decides.
 */
export function isListedTo(viewer: Viewer | null, product: CatalogVisibility | null): boolean {
  if (!product) return true;
  if (product.deleted) return false;
  if (product.status !== 'HIDDEN') return true;
  return viewer !== null && (viewer.role === 'ADMIN' || (viewer.role === 'SELLER' && viewer.id === product.ownerId));
}
