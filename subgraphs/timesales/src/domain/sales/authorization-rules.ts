import type { Viewer } from '@radiata/auth-context';
import { forbidden } from '@radiata/errors';
import { requireRole } from '@radiata/service-runtime';

const NOT_YOURS = 'Only an admin or the seller who owns every product of the sale can do this';

/**
 * Sale managers are ADMINs and SELLERs: anyone else is refused before anything is read
 * (UNAUTHENTICATED when anonymous, FORBIDDEN otherwise). Which sales a SELLER may manage is
 * `requireSaleManager`'s decision, once the sale and its products are known.
 */
export const requireSaleManagerRole = (viewer: Viewer | null): Viewer => requireRole(viewer, 'ADMIN', 'SELLER');

/**
 * ADMINs manage every sale; a SELLER manages a sale when they own the brand of every product in
 * it (`owners`: the owner of each product's brand, null when the timesales subgraph does not
 * know it). A sale without products is its creator's. Throws FORBIDDEN otherwise.
 */
export function requireSaleManager(
  viewer: Viewer,
  sale: { readonly createdBy: string } | null,
  owners: readonly (string | null)[],
): void {
  if (viewer.role === 'ADMIN') return;
  const allowed =
    viewer.role === 'SELLER' &&
    (owners.length === 0
      ? sale === null || sale.createdBy === viewer.id
      : owners.every((owner) => owner === viewer.id));
  if (!allowed) throw forbidden(NOT_YOURS);
}
