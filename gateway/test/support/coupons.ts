import { graphql } from '@radiata/testing';
import type { SignedIn } from './accounts.js';
import type { TestGraph } from './graph.js';

const HOUR = 3_600_000;

/**
 * A first-come-first-served coupon an admin creates through the gateway, open for claims from an
 * hour ago to an hour from now (1,000 won off, 1,000 of them unless `overrides` say otherwise).
 */
export async function createOpenCoupon(
  graph: TestGraph,
  admin: SignedIn,
  overrides: Record<string, unknown> = {},
): Promise<string> {
  const created = await graphql<{ createCoupon: { id: string } }>(
    graph.gateway.url,
    'mutation($input: CreateCouponInput!) { createCoupon(input: $input) { id } }',
    {
      token: admin.accessToken,
      variables: {
        input: {
          title: 'Test 1,000 won',
          type: 'FIRST_COME_FIRST_SERVED',
          discountType: 'AMOUNT',
          discountAmount: 1_000,
          minOrderAmount: 10_000,
          issueStartAt: new Date(Date.now() - HOUR).toISOString(),
          issueEndAt: new Date(Date.now() + HOUR).toISOString(),
          validDays: 30,
          totalQuantity: 1_000,
          ...overrides,
        },
      },
    },
  );
  if (!created.data) throw new Error(`createCoupon failed: ${JSON.stringify(created.errors)}`);
  return created.data.createCoupon.id;
}
