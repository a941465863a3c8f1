import { newId } from '@radiata/service-runtime';
import { eventually } from '@radiata/testing';
import {
  type CouponsStack,
  CREATE_COUPON,
  claimAll,
  couponInput,
  createCoupon,
  HOUR,
  startCouponsStack,
} from './support.js';

let stack: CouponsStack;
beforeAll(async () => {
  stack = await startCouponsStack();
});
afterAll(() => stack.stop());
afterEach(() => stack.clock.set(undefined));

/**
 * What a refused admin request could have written, to prove it wrote nothing: the coupon rows
 * and each coupon's Redis keys (its rules and claims hashes, its stream), of every coupon or of
 * the one `couponId` names. Nothing that work running alongside writes on its own: the claim
 * persister moves issued_quantity and updated_at, consumes the streams (only their existence is
 * compared) and trims the active set of ended coupons by the service clock, which tests move.
 */
async function snapshot(couponId?: string): Promise<string> {
  const rows = await stack.sql<unknown>(
    `SELECT to_jsonb(c) - 'issued_quantity' - 'updated_at' AS row FROM coupons c
     WHERE $1::uuid IS NULL OR id = $1::uuid ORDER BY id`,
    couponId ?? null,
  );
  const keys = (await stack.redis.keys(`${stack.prefix}{coupon:${couponId ?? '*'}}:*`)).sort();
  const values = await Promise.all(
    keys.map(async (key) =>
      (await stack.redis.type(key)) === 'hash' ? stack.redis.hgetall(key) : stack.redis.type(key),
    ),
  );
  return JSON.stringify({ rows, keys, values });
}

const UPDATE =
  'mutation($id: ID!, $input: UpdateCouponInput!) { updateCoupon(id: $id, input: $input) { id totalQuantity title } }';

describe('creating coupons', () => {
  it('creates a coupon an admin defines, with its live counters', async () => {
    const result = await stack.call<{ createCoupon: Record<string, unknown> }>(stack.admin, CREATE_COUPON, {
      input: couponInput({
        title: 'Black Friday 5,000 won',
        discountType: 'AMOUNT',
        discountRate: null,
        discountAmount: 5_000,
      }),
    });
    expect(result.errors).toBeUndefined();
    expect(result.data?.createCoupon).toMatchObject({
      title: 'Black Friday 5,000 won',
      type: 'FIRST_COME_FIRST_SERVED',
      totalQuantity: 100,
      claimedQuantity: 0,
      remainingQuantity: 100,
      issuedQuantity: 0,
      state: 'OPEN',
    });
  });

  it.each([
    ['a rate over 100', { discountRate: 101 }, 'input.discountRate'],
    ['a zero rate', { discountRate: 0 }, 'input.discountRate'],
    ['min above max', { minOrderAmount: 50_000, maxOrderAmount: 10_000 }, 'input.maxOrderAmount'],
    ['an end before the start', { issueEndAt: new Date(Date.now() - 2 * HOUR).toISOString() }, 'input.issueEndAt'],
    ['no quantity for first-come-first-served', { totalQuantity: null }, 'input.totalQuantity'],
    ['a quantity for an unlimited coupon', { type: 'UNLIMITED', totalQuantity: 10 }, 'input.totalQuantity'],
    ['both validity kinds', { validUntil: new Date(Date.now() + 48 * HOUR).toISOString() }, 'input.validUntil'],
    ['an amount on a rate coupon', { discountAmount: 1_000 }, 'input.discountAmount'],
    ['an empty title', { title: '  ' }, 'input.title'],
  ])('refuses %s with BAD_USER_INPUT and writes nothing', async (_case, overrides, field) => {
    const before = await snapshot();
    const result = await stack.call(stack.admin, CREATE_COUPON, { input: couponInput(overrides) });
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0]?.extensions?.problems?.map((problem) => problem.field)).toContain(field);
    expect(await snapshot()).toBe(before);
  });

  it.each([
    ['a customer', 'FORBIDDEN', { id: newId(), role: 'CUSTOMER' as const }],
    ['a seller', 'FORBIDDEN', { id: newId(), role: 'SELLER' as const }],
    ['an anonymous caller', 'UNAUTHENTICATED', null],
  ])('refuses %s with %s and writes nothing', async (_who, code, viewer) => {
    const before = await snapshot();
    const result = await stack.call(viewer, CREATE_COUPON, { input: couponInput() });
    expect(result.errors?.[0]?.extensions?.code).toBe(code);
    expect(await snapshot()).toBe(before);
  });
});

describe('updating and deleting coupons', () => {
  it('never shrinks the quantity below what is claimed, counting claims not persisted yet', async () => {
    const coupon = await createCoupon(stack, { totalQuantity: 10 });
    await claimAll(
      stack,
      coupon.id,
      Array.from({ length: 6 }, () => newId()),
    );
    const before = await snapshot(coupon.id);
    const shrink = await stack.call(stack.admin, UPDATE, { id: coupon.id, input: { totalQuantity: 5 } });
    expect(shrink.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(shrink.errors?.[0]?.message).toMatch(/6 already claimed/);
    expect(await snapshot(coupon.id)).toBe(before);
    const ok = await stack.call<{ updateCoupon: { totalQuantity: number } }>(stack.admin, UPDATE, {
      id: coupon.id,
      input: { totalQuantity: 6 },
    });
    expect(ok.data?.updateCoupon.totalQuantity).toBe(6);
    expect((await claimAll(stack, coupon.id, [newId()])).map((answer) => answer.outcome)).toEqual(['SOLD_OUT']);
  });

  it('fixes the discount once issuing has started, but not before', async () => {
    const upcoming = await createCoupon(stack, {
      issueStartAt: new Date(Date.now() + HOUR).toISOString(),
      issueEndAt: new Date(Date.now() + 2 * HOUR).toISOString(),
    });
    const early = await stack.call(stack.admin, UPDATE, { id: upcoming.id, input: { discountRate: 20 } });
    expect(early.errors).toBeUndefined();
    stack.clock.set(new Date(Date.now() + HOUR));
    const late = await stack.call(stack.admin, UPDATE, { id: upcoming.id, input: { discountRate: 30 } });
    expect(late.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(
      (await stack.subgraph.services.db.coupon.findUniqueOrThrow({ where: { id: upcoming.id } })).discountRate,
    ).toBe(20);
  });

  it('moves the window for claims at once, and deletes softly', async () => {
    const coupon = await createCoupon(stack);
    const later = {
      issueStartAt: new Date(Date.now() + HOUR).toISOString(),
      issueEndAt: new Date(Date.now() + 2 * HOUR).toISOString(),
    };
    await stack.call(stack.admin, UPDATE, { id: coupon.id, input: later });
    expect((await claimAll(stack, coupon.id, [newId()])).map((answer) => answer.outcome)).toEqual(['NOT_OPEN_YET']);
    const deleted = await stack.call(stack.admin, 'mutation($id: ID!) { deleteCoupon(id: $id) }', { id: coupon.id });
    expect(deleted.data).toEqual({ deleteCoupon: true });
    const gone = await stack.call<{ coupon: unknown }>(null, 'query($id: ID!) { coupon(id: $id) { id } }', {
      id: coupon.id,
    });
    expect(gone.data?.coupon).toBeNull();
    const again = await stack.call(stack.admin, 'mutation($id: ID!) { deleteCoupon(id: $id) }', { id: coupon.id });
    expect(again.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});

describe('reading coupons', () => {
  it('lists coupons by state and shows a shopper their own coupons only', async () => {
    const upcoming = await createCoupon(stack, {
      issueStartAt: new Date(Date.now() + HOUR).toISOString(),
      issueEndAt: new Date(Date.now() + 2 * HOUR).toISOString(),
    });
    const open = await createCoupon(stack);
    const ids = async (state: string) =>
      (
        await stack.call<{ coupons: { edges: { node: { id: string; state: string } }[] } }>(
          null,
          'query($state: CouponState) { coupons(filter: { state: $state }, first: 100) { edges { node { id state } } } }',
          { state },
        )
      ).data?.coupons.edges.map((edge) => edge.node.id);
    expect(await ids('UPCOMING')).toContain(upcoming.id);
    expect(await ids('UPCOMING')).not.toContain(open.id);
    expect(await ids('OPEN')).toContain(open.id);

    const shopper = newId();
    await claimAll(stack, open.id, [shopper]);
    const mine = async (viewer: { id: string; role: 'CUSTOMER' | 'ADMIN' }) =>
      stack.call<{
        _entities: { coupons: { edges: { node: { coupon: { id: string }; status: string } }[] } | null }[];
      }>(
        viewer,
        'query($reps: [_Any!]!) { _entities(representations: $reps) { ... on User { coupons { edges { node { status coupon { id } } } } } } }',
        { reps: [{ __typename: 'User', id: shopper }] },
      );
    let own = await mine({ id: shopper, role: 'CUSTOMER' });
    await eventually(async () => {
      if (own.data?._entities[0]?.coupons?.edges.length !== 0) return true;
      own = await mine({ id: shopper, role: 'CUSTOMER' });
      return false;
    });
    expect(own.data?._entities[0]?.coupons?.edges.map((edge) => edge.node)).toEqual([
      { status: 'ISSUED', coupon: { id: open.id } },
    ]);
    expect((await mine({ id: newId(), role: 'CUSTOMER' })).data?._entities[0]?.coupons).toBeNull();
    expect((await mine({ id: newId(), role: 'ADMIN' })).data?._entities[0]?.coupons?.edges).toHaveLength(1);
  });
});
