import { eventually, graphql } from '@radiata/testing';
import { type SignedIn, signUp } from './support/accounts.js';
import { createOpenCoupon } from './support/coupons.js';
import { startTestGraph, type TestGraph } from './support/graph.js';

let graph: TestGraph;
let admin: SignedIn;
beforeAll(async () => {
  graph = await startTestGraph();
  admin = await signUp(graph, 'ADMIN');
});
afterAll(() => graph.stop());

it('lets an admin create a coupon and shoppers claim it through the gateway, then see it in me { coupons }', async () => {
  const couponId = await createOpenCoupon(graph, admin, {
    title: 'Gateway 3,000 won',
    discountAmount: 3_000,
    totalQuantity: 2,
  });

  const shoppers = await Promise.all([signUp(graph), signUp(graph), signUp(graph)]);
  const claim = (shopper: SignedIn) =>
    graphql<{ claimCoupon: { outcome: string; claimId: string | null } }>(
      graph.gateway.url,
      'mutation($id: ID!) { claimCoupon(couponId: $id) { outcome claimId } }',
      { token: shopper.accessToken, variables: { id: couponId } },
    );
  const outcomes = (await Promise.all(shoppers.map(claim))).map((response) => response.data?.claimCoupon.outcome);
  // (sorted copy: `outcomes` keeps the shoppers' order, which picks the winner below)
  expect([...outcomes].sort()).toEqual(['ACCEPTED', 'ACCEPTED', 'SOLD_OUT']);

  const anonymous = await graphql(graph.gateway.url, 'mutation($id: ID!) { claimCoupon(couponId: $id) { outcome } }', {
    variables: { id: couponId },
  });
  expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

  const winner = shoppers[outcomes.indexOf('ACCEPTED')] as SignedIn;
  const mine = () =>
    graphql<{
      me: {
        email: string;
        coupons: { edges: { node: { status: string; coupon: { title: string; remainingQuantity: number } } }[] };
      };
    }>(graph.gateway.url, '{ me { email coupons { edges { node { status coupon { title remainingQuantity } } } } } }', {
      token: winner.accessToken,
    });
  // ACCEPTED now; ISSUED once the persister has written it.
  let answer = await mine();
  await eventually(async () => {
    if ((answer.data?.me.coupons.edges.length ?? 0) > 0) return true;
    answer = await mine();
    return false;
  });
  expect(answer.data?.me).toEqual({
    email: winner.email,
    coupons: { edges: [{ node: { status: 'ISSUED', coupon: { title: 'Gateway 3,000 won', remainingQuantity: 0 } } }] },
  });
});

it('refuses coupon administration to customers', async () => {
  const customer = await signUp(graph);
  const response = await graphql(
    graph.gateway.url,
    'mutation { deleteCoupon(id: "01900000-0000-7000-8000-000000000000") }',
    {
      token: customer.accessToken,
    },
  );
  expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
});
