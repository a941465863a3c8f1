import type { Viewer } from '@radiata/auth-context';
import type { OrderItem } from '../generated/prisma/client.js';

/** Who may see an order: its shopper, an admin, or a seller of one of its items (to ship it). */
export const canSeeOrder = (
  viewer: Viewer | null,
  order: { readonly userId: string; readonly items: readonly Pick<OrderItem, 'sellerId'>[] },
): boolean =>
  viewer !== null &&
  (viewer.role === 'ADMIN' ||
    viewer.id === order.userId ||
    (viewer.role === 'SELLER' && order.items.some((item) => item.sellerId === viewer.id)));

/** Who may move its shipping: an admin, or the seller of every one of its items. */
export const canShipOrder = (
  viewer: Viewer | null,
  order: { readonly items: readonly Pick<OrderItem, 'sellerId'>[] },
): boolean =>
  viewer !== null &&
  (viewer.role === 'ADMIN' ||
    (viewer.role === 'SELLER' && order.items.length > 0 && order.items.every((item) => item.sellerId === viewer.id)));
