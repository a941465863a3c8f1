import type { Viewer } from '@radiata/auth-context';
import { conflict, forbidden, notFound } from '@radiata/errors';
import { failpoint } from '@radiata/observability';
import {
  type Connection,
  isId,
  isUniqueViolation,
  newestFirst,
  newId,
  type PageRequest,
  requireRole,
  requireViewer,
  validateInput,
} from '@radiata/service-runtime';
import type { OrderStatus, Prisma } from '../generated/prisma/client.js';
import type { Database } from '../persistence/database.js';
import type { AddressProjection, ShippingAddressCopy } from './address-projection.js';
import { canSeeOrder, canShipOrder } from './order-access.js';
import { type PlaceOrderInput, placeOrderInput, requestHash } from './order-input.js';
import { SagaRefusal } from './saga/order-saga.js';
import type { SagaStore, StatusListener } from './saga/saga-store.js';
import type { SagaOrder } from './saga/step.js';

export type OrderRecord = SagaOrder;

/** Statuses after which a cancel changes nothing more (it was asked for already). */
const CANCELLED: readonly OrderStatus[] = ['CANCELLING', 'CANCELLED', 'REFUNDING', 'REFUNDED'];

/** Shipping moves one status forward at a time, from PAID, by a seller of the items or an admin. */
export const SHIPPING_FLOW: Readonly<Partial<Record<OrderStatus, OrderStatus>>> = {
  PAID: 'SHIPPING_PENDING',
  SHIPPING_PENDING: 'SHIPPING',
  SHIPPING: 'DELIVERED',
};

const WITH_ITEMS = { items: { orderBy: { line: 'asc' } } } as const satisfies Prisma.OrderInclude;

const SAVED_ADDRESS_NOT_FOUND =
  'Address not found among your saved addresses. One saved a moment ago can take a few seconds to become ' +
  'usable for orders: try again shortly, or send shippingAddress instead.';

/** The address an order keeps a copy of. */
type OrderAddress = Omit<ShippingAddressCopy, 'detailAddress'> & { readonly detailAddress?: string | null };

export interface OrderLimits {
  readonly maxLines: number;
  readonly maxQuantity: number;
  readonly maxPoints: number;
}

/** Orders: placing one (which starts its saga), cancelling, shipping, and who sees which. */
export class Orders {
  private readonly inputRules: ReturnType<typeof placeOrderInput>;

  constructor(
    private readonly db: Database,
    private readonly store: SagaStore,
    /** Tells live views of a committed status change the saga did not make (shipping). */
    private readonly announce: StatusListener,
    limits: OrderLimits,
    /** Shoppers' saved addresses, as the users subgraph's events told orders (shippingAddressId). */
    private readonly addresses: AddressProjection,
  ) {
    this.inputRules = placeOrderInput(limits);
  }

  /**
   * Records the order (PENDING) and its saga's first command in one transaction, and answers at
   * once. The same idempotency key answers the same order; with another request it is CONFLICT.
   * It ships to a copy of the address given, or of the shopper's saved address `shippingAddressId`
   * as orders knows it (NOT_FOUND when it knows no such address of theirs, after waiting briefly
   * for one saved a moment ago).
   */
  async place(viewer: Viewer | null, input: unknown): Promise<OrderRecord> {
    const shopper = requireViewer(viewer);
    const request = validateInput(this.inputRules, input);
    const hash = requestHash(request);
    let address = request.shippingAddress ?? (await this.addresses.find(shopper.id, request.shippingAddressId ?? ''));
    if (!address) {
      // A retry of an order placed with an address removed since answers that order; a new
      // address may not have reached orders yet (the users relay's delay): look again briefly.
      const earlier = await this.byKey(shopper.id, request.idempotencyKey, hash);
      if (earlier) return earlier;
      address = await this.addresses.waitFor(shopper.id, request.shippingAddressId ?? '');
      if (!address) throw notFound('Address', SAVED_ADDRESS_NOT_FOUND);
    }
    const shipTo = address;
    // New keys are the rule: insert first, and read the earlier order only when the key is taken.
    try {
      const run = await this.db.$transaction(async (tx) => {
        const order = await tx.order.create({
          data: this.newOrder(shopper.id, request, shipTo, hash),
          include: WITH_ITEMS,
        });
        await this.store.record(tx, order, [{ from: null, to: 'PENDING', reason: null }], order.createdAt);
        return this.store.decideAndWrite(tx, order, { kind: 'start' });
      });
      if (run.kind !== 'decided') throw new Error(`a new order's saga did not start (${run.kind})`);
      // Crash tests: the order and its first command are committed, the shopper not yet answered.
      failpoint('orders.place.after-commit');
      this.store.notify(run.order, run.decision);
      return run.order;
    } catch (error) {
      // The key is taken (a retry, or the same request at the same instant): answer that order.
      if (!isUniqueViolation(error)) throw error;
      const order = await this.byKey(shopper.id, request.idempotencyKey, hash);
      if (!order) throw error;
      return order;
    }
  }

  /** The shopper's or an admin's cancel: compensated before payment, refunded after (until shipping). */
  async cancel(viewer: Viewer | null, orderId: string): Promise<OrderRecord> {
    const actor = requireViewer(viewer);
    const order = await this.find(orderId);
    if (!order || !canSeeOrder(actor, order)) throw notFound('Order');
    if (actor.role !== 'ADMIN' && actor.id !== order.userId)
      throw forbidden('Only its shopper or an admin cancels an order');
    if (CANCELLED.includes(order.status)) return order;
    const reason = actor.id === order.userId ? 'CANCELLED_BY_SHOPPER' : 'CANCELLED_BY_ADMIN';
    try {
      const run = await this.store.run(orderId, { kind: 'cancel', reason });
      if (run.kind === 'decided' || run.kind === 'ignored') return run.order;
      throw notFound('Order');
    } catch (error) {
      if (error instanceof SagaRefusal) throw conflict(error.message);
      throw error;
    }
  }

  /** Moves shipping one status forward (PAID → SHIPPING_PENDING → SHIPPING → DELIVERED). */
  async advanceShipping(viewer: Viewer | null, orderId: string, to: OrderStatus): Promise<OrderRecord> {
    const actor = requireViewer(viewer);
    const seen = await this.find(orderId);
    if (!seen || !canSeeOrder(actor, seen)) throw notFound('Order');
    if (!canShipOrder(actor, seen)) throw forbidden("Only the seller of all the order's items or an admin ships it");
    const moved = await this.db.$transaction(async (tx) => {
      const order = await this.store.lock(tx, orderId);
      if (!order) throw notFound('Order');
      if (SHIPPING_FLOW[order.status] !== to) {
        throw conflict(`A ${order.status} order cannot become ${to}`);
      }
      const now = new Date();
      const row = await tx.order.update({
        where: { id: orderId },
        data: {
          status: to,
          version: { increment: 1 },
          updatedAt: now,
          ...(to === 'DELIVERED' ? { closedAt: now } : {}),
        },
      });
      await this.store.record(tx, row, [{ from: order.status, to, reason: null }], now);
      return { after: { ...row, items: order.items } };
    });
    this.announce(moved.after);
    return moved.after;
  }

  /** An order for whoever may see it: NOT_FOUND for anyone else (its existence is nobody else's business). */
  async get(viewer: Viewer | null, orderId: string): Promise<OrderRecord> {
    requireViewer(viewer);
    const order = await this.find(orderId);
    if (!order || !canSeeOrder(viewer, order)) throw notFound('Order');
    return order;
  }

  async find(orderId: string): Promise<OrderRecord | null> {
    return isId(orderId) ? this.db.order.findUnique({ where: { id: orderId }, include: WITH_ITEMS }) : null;
  }

  /** The viewer's own orders, newest first. */
  mine(viewer: Viewer | null, page: PageRequest, status: OrderStatus | null): Promise<Connection<OrderRecord>> {
    const shopper = requireViewer(viewer);
    return this.page(page, { userId: shopper.id, ...(status ? { status } : {}) });
  }

  /** A user's orders for themself and admins; null for anyone else. */
  ofUser(viewer: Viewer | null, userId: string, page: PageRequest): Promise<Connection<OrderRecord>> | null {
    if (!viewer || (viewer.role !== 'ADMIN' && viewer.id !== userId)) return null;
    return this.page(page, { userId });
  }

  /** SELLER: orders holding items of the viewer's brands, newest first. */
  ofSeller(viewer: Viewer | null, page: PageRequest, status: OrderStatus | null): Promise<Connection<OrderRecord>> {
    const seller = requireRole(viewer, 'SELLER');
    return this.page(page, { items: { some: { sellerId: seller.id } }, ...(status ? { status } : {}) });
  }

  /** ADMIN: every order, newest first, optionally one status or one shopper's. */
  all(
    viewer: Viewer | null,
    page: PageRequest,
    filter: { status: OrderStatus | null; userId: string | null },
  ): Promise<Connection<OrderRecord>> {
    requireRole(viewer, 'ADMIN');
    if (filter.userId !== null && !isId(filter.userId)) return this.page(page, { id: { in: [] } });
    return this.page(page, {
      ...(filter.status ? { status: filter.status } : {}),
      ...(filter.userId ? { userId: filter.userId } : {}),
    });
  }

  private page(page: PageRequest, where: Prisma.OrderWhereInput): Promise<Connection<OrderRecord>> {
    return newestFirst(page, ({ idBelow, take }) =>
      this.db.order.findMany({
        where: { ...where, ...(idBelow ? { id: { lt: idBelow } } : {}) },
        orderBy: { id: 'desc' },
        take,
        include: WITH_ITEMS,
      }),
    );
  }

  private async byKey(userId: string, idempotencyKey: string, hash: string): Promise<OrderRecord | null> {
    const order = await this.db.order.findUnique({
      where: { userId_idempotencyKey: { userId, idempotencyKey } },
      include: WITH_ITEMS,
    });
    if (order && order.requestHash !== hash) {
      throw conflict('This idempotencyKey was used for another order request');
    }
    return order;
  }

  private newOrder(
    userId: string,
    request: PlaceOrderInput,
    address: OrderAddress,
    hash: string,
  ): Prisma.OrderCreateInput {
    const id = newId();
    return {
      id,
      userId,
      idempotencyKey: request.idempotencyKey,
      requestHash: hash,
      couponIssueId: request.couponIssueId ?? null,
      pointsRequested: request.points ?? 0,
      recipient: address.recipient,
      phone: address.phone,
      zipCode: address.zipCode,
      roadAddress: address.roadAddress,
      detailAddress: address.detailAddress ?? '',
      items: {
        create: request.items.map((item, index) => ({
          line: index + 1,
          productId: item.productId,
          quantity: item.quantity,
          timeSaleId: item.timeSaleId ?? null,
        })),
      },
    };
  }
}
