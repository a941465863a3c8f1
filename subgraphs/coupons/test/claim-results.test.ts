import { newId } from '@radiata/service-runtime';
import { eventually } from '@radiata/testing';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { CLAIM, type CouponsStack, createCoupon, startCouponsStack } from './support.js';

let stack: CouponsStack;
beforeAll(async () => {
  stack = await startCouponsStack();
});
afterAll(() => stack.stop());

const RESULT = /* GraphQL */ `
  subscription($claimId: ID!) {
    couponClaimResult(claimId: $claimId) { claimId status issue { id status expiresAt coupon { id } } }
  }
`;

interface Update {
  couponClaimResult: { claimId: string; status: string; issue: { id: string; status: string; coupon: { id: string } } };
}

/** Subscribes as `viewer` and collects every event until the server completes the subscription. */
async function follow(viewer: { id: string; role: 'CUSTOMER' }, claimId: string, timeoutMs = 10_000) {
  const connectionParams = await stack.signedContext(viewer);
  const client = createClient({
    url: stack.subgraph.subscriptionsUrl as string,
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
  });
  try {
    const events: Update[] = [];
    const completed = await new Promise<boolean>((resolve, reject) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      client.subscribe<Update>(
        { query: RESULT, variables: { claimId } },
        {
          next: (result) => {
            if (result.errors) reject(new Error(JSON.stringify(result.errors)));
            else if (result.data) events.push(result.data);
          },
          error: reject,
          complete: () => {
            clearTimeout(timer);
            resolve(true);
          },
        },
      );
    });
    return { events, completed };
  } finally {
    await client.dispose();
  }
}

const claimAs = async (viewer: { id: string; role: 'CUSTOMER' }, couponId: string) =>
  (await stack.call<{ claimCoupon: { outcome: string; claimId: string } }>(viewer, CLAIM, { couponId })).data
    ?.claimCoupon;

it('tells the claimer ISSUED once the claim is persisted, then completes', async () => {
  const coupon = await createCoupon(stack);
  const shopper = { id: newId(), role: 'CUSTOMER' as const };
  const claimed = await claimAs(shopper, coupon.id);
  expect(claimed?.outcome).toBe('ACCEPTED');
  const { events, completed } = await follow(shopper, claimed?.claimId as string);
  expect(completed).toBe(true);
  expect(events).toHaveLength(1);
  expect(events[0]?.couponClaimResult).toMatchObject({
    claimId: claimed?.claimId,
    status: 'ISSUED',
    issue: { status: 'ISSUED', coupon: { id: coupon.id } },
  });
});

it('answers at once for a claim persisted before subscribing', async () => {
  const coupon = await createCoupon(stack);
  const shopper = { id: newId(), role: 'CUSTOMER' as const };
  const claimed = await claimAs(shopper, coupon.id);
  await eventually(async () => (await stack.subgraph.services.issues.byClaimId(claimed?.claimId as string)) !== null);
  const { events, completed } = await follow(shopper, claimed?.claimId as string);
  expect(completed).toBe(true);
  expect(events.map((event) => event.couponClaimResult.status)).toEqual(['ISSUED']);
});

it("refuses someone else's claim with FORBIDDEN once it is persisted, telling nothing of it", async () => {
  const coupon = await createCoupon(stack);
  const claimed = await claimAs({ id: newId(), role: 'CUSTOMER' }, coupon.id);
  const failure = await follow({ id: newId(), role: 'CUSTOMER' }, claimed?.claimId as string).then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(failure).toEqual([expect.objectContaining({ extensions: { code: 'FORBIDDEN' } })]);
  expect(JSON.stringify(failure)).not.toContain(coupon.id);
});

it('refuses a connection without the signed context of the gateway', async () => {
  const client = createClient({
    url: stack.subgraph.subscriptionsUrl as string,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
  });
  const outcome = await new Promise<unknown>((resolve) => {
    client.subscribe(
      { query: RESULT, variables: { claimId: newId() } },
      { next: resolve, error: resolve, complete: () => resolve('complete') },
    );
  });
  await client.dispose();
  expect((outcome as { code?: number }).code).toBe(4401);
});

it('refuses an anonymous subscriber with UNAUTHENTICATED', async () => {
  const client = createClient({
    url: stack.subgraph.subscriptionsUrl as string,
    webSocketImpl: WebSocket,
    connectionParams: await stack.signedContext(null),
    retryAttempts: 0,
  });
  const outcome = await new Promise<unknown>((resolve) => {
    client.subscribe(
      { query: RESULT, variables: { claimId: newId() } },
      { next: resolve, error: resolve, complete: () => resolve('complete') },
    );
  });
  await client.dispose();
  expect(outcome).toMatchObject({ errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] });
});
