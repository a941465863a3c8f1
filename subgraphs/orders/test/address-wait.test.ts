import { newId } from '@radiata/service-runtime';
import { eventually } from '@radiata/testing';
import { ADDRESS_SAVED, USERS_EXCHANGE } from '../src/messaging/users-consumer.js';
import { ADDRESS, customer, type OrdersStack, startOrders } from './support.js';

// placeOrder with an address saved a moment ago: the users relay has not brought it to orders yet
// when the order is placed, and placeOrder looks again until it arrives (up to ORDER_ADDRESS_WAIT_MS,
// long here so the test does not depend on how fast the broker is).
let stack: OrdersStack;
let addressLookups = 0;
beforeAll(async () => {
  stack = await startOrders({
    env: { ORDER_ADDRESS_WAIT_MS: '30000' },
    onQuery: (sql) => {
      if (sql.includes('"user_addresses"')) addressLookups += 1;
    },
  });
});
afterAll(() => stack.stop());

it('waits for an address saved a moment ago, then ships to a copy of it', async () => {
  const shopper = customer();
  const addressId = newId();
  const before = addressLookups;
  const placing = stack.client.call<{ placeOrder: { shippingAddress: typeof ADDRESS } }>(
    shopper,
    'mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { shippingAddress { recipient phone zipCode roadAddress detailAddress } } }',
    {
      input: {
        items: [{ productId: newId(), quantity: 1 }],
        shippingAddressId: addressId,
        idempotencyKey: `key-${newId()}`,
      },
    },
  );
  // placeOrder has looked and not found it, and is looking again: only now does the address arrive.
  await eventually(() => addressLookups - before >= 3);
  await stack.publish(USERS_EXCHANGE, ADDRESS_SAVED, {
    addressId,
    userId: shopper.id,
    label: null,
    ...ADDRESS,
    isDefault: true,
    version: 1,
    occurredAt: new Date().toISOString(),
  });
  const placed = await placing;
  expect(placed.errors).toBeUndefined();
  expect(placed.data?.placeOrder.shippingAddress).toEqual(ADDRESS);
});
