import type { Viewer } from '@radiata/auth-context';
import { countDeadLetters, listDeadLetters, MalformedEvent } from '@radiata/inbox';
import { newId } from '@radiata/service-runtime';
import { eventually } from '@radiata/testing';
import type { AddressSaved } from '../src/domain/address-projection.js';
import {
  ADDRESS_REMOVED,
  ADDRESS_SAVED,
  parseUsersEvent,
  ROLE_CHANGED,
  USER_ADDRESSES_QUEUE,
  USERS_EXCHANGE,
} from '../src/messaging/users-consumer.js';
import { ADDRESS, customer, type OrdersStack, startOrders } from './support.js';

const RABBITMQ_URL = process.env.RABBITMQ_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

let stack: OrdersStack;
beforeAll(async () => {
  // A short wait for addresses not heard of yet (address-wait.test.ts waits long).
  stack = await startOrders({ env: { ORDER_ADDRESS_WAIT_MS: '300' } });
});
afterAll(() => stack.stop());

const projection = () => stack.subgraph.services.addresses;

/** A users.address.saved payload, as the users subgraph publishes it. */
const saved = (userId: string, addressId: string, version: number, overrides: Partial<AddressSaved> = {}) => ({
  addressId,
  userId,
  label: 'Home',
  ...ADDRESS,
  isDefault: true,
  version,
  occurredAt: new Date().toISOString(),
  ...overrides,
});
const asEvent = (payload: ReturnType<typeof saved>) => parseUsersEvent(ADDRESS_SAVED, payload) as AddressSaved;

const rowOf = async (addressId: string) =>
  (
    await stack.sql<{ recipient: string | null; detail_address: string | null; removed: boolean; version: number }>(
      'SELECT recipient, detail_address, removed, version FROM user_addresses WHERE address_id = $1',
      addressId,
    )
  )[0];

const PLACE = `mutation($input: PlaceOrderInput!) {
  placeOrder(input: $input) { id status shippingAddress { recipient phone zipCode roadAddress detailAddress } }
}`;
interface Placed {
  placeOrder: { id: string; status: string; shippingAddress: typeof ADDRESS };
}
const place = (viewer: Viewer, input: Record<string, unknown>) =>
  stack.client.call<Placed>(viewer, PLACE, {
    input: { items: [{ productId: newId(), quantity: 1 }], idempotencyKey: `key-${newId()}`, ...input },
  });
const codeOf = (result: { errors?: readonly { extensions?: { code?: string } }[] }) =>
  result.errors?.[0]?.extensions?.code;

describe('the projection of users’ addresses', () => {
  it('keeps the highest version whatever order the events arrive in, and applies each once', async () => {
    const userId = newId();
    const addressId = newId();
    const v3 = newId();
    expect(
      await projection().apply(USER_ADDRESSES_QUEUE, v3, asEvent(saved(userId, addressId, 3, { detailAddress: '3F' }))),
    ).toBe('applied');
    expect(await projection().apply(USER_ADDRESSES_QUEUE, newId(), asEvent(saved(userId, addressId, 1)))).toBe('stale');
    expect(await projection().apply(USER_ADDRESSES_QUEUE, newId(), asEvent(saved(userId, addressId, 2)))).toBe('stale');
    expect(await projection().apply(USER_ADDRESSES_QUEUE, v3, asEvent(saved(userId, addressId, 3)))).toBe('duplicate');
    expect(await rowOf(addressId)).toEqual({
      recipient: ADDRESS.recipient,
      detail_address: '3F',
      removed: false,
      version: 3,
    });
    expect(await projection().find(userId, addressId)).toEqual({ ...ADDRESS, detailAddress: '3F' });
    // Another user cannot use it.
    expect(await projection().find(newId(), addressId)).toBeNull();
  });

  it('keeps a removal as a tombstone without personal data that a late save cannot undo', async () => {
    const userId = newId();
    const addressId = newId();
    const removal = parseUsersEvent(ADDRESS_REMOVED, {
      addressId,
      userId,
      version: 4,
      occurredAt: new Date().toISOString(),
    });
    if (!removal) throw new Error('a removal reads as an event');
    await projection().apply(USER_ADDRESSES_QUEUE, newId(), asEvent(saved(userId, addressId, 2)));
    expect(await projection().apply(USER_ADDRESSES_QUEUE, newId(), removal)).toBe('applied');
    expect(await rowOf(addressId)).toEqual({ recipient: null, detail_address: null, removed: true, version: 4 });
    expect(await projection().apply(USER_ADDRESSES_QUEUE, newId(), asEvent(saved(userId, addressId, 3)))).toBe('stale');
    expect(await projection().find(userId, addressId)).toBeNull();

    // A removal heard before the address itself.
    const early = newId();
    await projection().apply(USER_ADDRESSES_QUEUE, newId(), { kind: 'removed', addressId: early, userId, version: 2 });
    expect(await projection().apply(USER_ADDRESSES_QUEUE, newId(), asEvent(saved(userId, early, 1)))).toBe('stale');
    expect(await projection().find(userId, early)).toBeNull();
  });

  it('erases a deleted user’s addresses, and drops their later events; the copies in orders stay', async () => {
    const shopper = customer();
    const kept = newId();
    const other = newId();
    await projection().apply(USER_ADDRESSES_QUEUE, newId(), asEvent(saved(shopper.id, kept, 1)));
    await projection().apply(USER_ADDRESSES_QUEUE, newId(), asEvent(saved(shopper.id, other, 1, { recipient: 'Lee' })));
    const bystander = newId();
    const bystanderAddress = newId();
    await projection().apply(USER_ADDRESSES_QUEUE, newId(), asEvent(saved(bystander, bystanderAddress, 1)));
    const placed = await place(shopper, { shippingAddressId: kept });
    expect(placed.errors).toBeUndefined();

    const deletion = parseUsersEvent(ROLE_CHANGED, {
      userId: shopper.id,
      role: 'CUSTOMER',
      roleVersion: 2,
      deleted: true,
    });
    if (!deletion) throw new Error('a deletion reads as an event');
    expect(await projection().apply(USER_ADDRESSES_QUEUE, newId(), deletion)).toBe('applied');
    expect(await stack.sql('SELECT address_id FROM user_addresses WHERE user_id = $1', shopper.id)).toEqual([]);
    // A save or removal in flight when the account went is dropped, not projected again.
    expect(await projection().apply(USER_ADDRESSES_QUEUE, newId(), asEvent(saved(shopper.id, other, 2)))).toBe(
      'erased',
    );
    expect(
      await projection().apply(USER_ADDRESSES_QUEUE, newId(), {
        kind: 'removed',
        addressId: kept,
        userId: shopper.id,
        version: 2,
      }),
    ).toBe('erased');
    expect(await stack.sql('SELECT address_id FROM user_addresses WHERE user_id = $1', shopper.id)).toEqual([]);
    expect(await projection().find(bystander, bystanderAddress)).not.toBeNull();
    // The order's own copy is kept (accounting).
    const [order] = await stack.sql<{ recipient: string; road_address: string }>(
      'SELECT recipient, road_address FROM orders WHERE id = $1',
      placed.data?.placeOrder.id,
    );
    expect(order).toEqual({ recipient: ADDRESS.recipient, road_address: ADDRESS.roadAddress });
  });

  it('reads role changes that delete nothing as nothing to do, and refuses what it cannot read', () => {
    expect(
      parseUsersEvent(ROLE_CHANGED, { userId: newId(), role: 'SELLER', roleVersion: 1, deleted: false }),
    ).toBeNull();
    expect(parseUsersEvent(ROLE_CHANGED, { userId: newId(), role: 'SELLER', roleVersion: 1 })).toBeNull();
    const userId = newId();
    const addressId = newId();
    for (const [routingKey, payload] of [
      ['users.address.renamed', saved(userId, addressId, 1)],
      [ADDRESS_SAVED, saved(userId, 'not-a-uuid', 1)],
      [ADDRESS_SAVED, saved(userId, addressId, 0)],
      [ADDRESS_SAVED, saved(userId, addressId, 1, { phone: '01012345678' })],
      [ADDRESS_SAVED, saved(userId, addressId, 1, { zipCode: '1234' })],
      [ADDRESS_SAVED, { ...saved(userId, addressId, 1), recipient: undefined }],
      [ADDRESS_REMOVED, { addressId, userId, version: 1.5 }],
      [ROLE_CHANGED, { userId: 'someone', deleted: true }],
    ] as const) {
      expect(() => parseUsersEvent(routingKey, payload)).toThrow(MalformedEvent);
    }
  });

  it('follows the users exchange: saves, removals and deletions through the broker, malformed events dead-lettered', async () => {
    const shopper = customer();
    const addressId = newId();
    const removedId = newId();
    await stack.publish(USERS_EXCHANGE, ADDRESS_SAVED, saved(shopper.id, addressId, 2, { recipient: 'Newer' }));
    const late = await stack.publish(
      USERS_EXCHANGE,
      ADDRESS_SAVED,
      saved(shopper.id, addressId, 1, { recipient: 'Older' }),
    );
    await stack.publish(USERS_EXCHANGE, ADDRESS_SAVED, saved(shopper.id, removedId, 1));
    await stack.publish(USERS_EXCHANGE, ADDRESS_REMOVED, { addressId: removedId, userId: shopper.id, version: 2 });
    // The same message twice (a redelivery): applied once.
    await stack.publish(USERS_EXCHANGE, ADDRESS_SAVED, saved(shopper.id, addressId, 1, { recipient: 'Older' }), late);
    await stack.publish(USERS_EXCHANGE, ROLE_CHANGED, {
      userId: newId(),
      role: 'SELLER',
      roleVersion: 1,
      deleted: false,
    });
    const malformed = [
      await stack.publish(USERS_EXCHANGE, ADDRESS_SAVED, { addressId, userId: shopper.id }),
      await stack.publish(USERS_EXCHANGE, ADDRESS_REMOVED, { addressId: 'x', userId: shopper.id, version: 3 }),
    ];
    await eventually(async () => (await rowOf(removedId))?.removed === true);
    await eventually(async () => (await rowOf(addressId))?.recipient === 'Newer');

    const broker = { url: RABBITMQ_URL, namespace: stack.namespace.rabbitmq };
    await eventually(
      async () => (await countDeadLetters(broker, [USER_ADDRESSES_QUEUE]))[0]?.depth === malformed.length,
    );
    const { deadLetters } = await listDeadLetters(broker, USER_ADDRESSES_QUEUE);
    expect(deadLetters.map((deadLetter) => deadLetter.messageId).sort()).toEqual([...malformed].sort());
    expect(deadLetters.map((deadLetter) => deadLetter.reason)).toEqual(['rejected', 'rejected']);
    expect(await rowOf(addressId)).toEqual({
      recipient: 'Newer',
      detail_address: ADDRESS.detailAddress,
      removed: false,
      version: 2,
    });

    await stack.publish(USERS_EXCHANGE, ROLE_CHANGED, {
      userId: shopper.id,
      role: 'CUSTOMER',
      roleVersion: 1,
      deleted: true,
    });
    await eventually(async () => (await rowOf(addressId)) === undefined);
    expect(await stack.sql('SELECT user_id FROM erased_users WHERE user_id = $1', shopper.id)).toEqual([
      { user_id: shopper.id },
    ]);
  });
});

describe('placeOrder with a saved address', () => {
  it('ships to a copy of the shopper’s saved address, which later changes do not touch', async () => {
    const shopper = customer();
    const addressId = newId();
    await projection().apply(USER_ADDRESSES_QUEUE, newId(), asEvent(saved(shopper.id, addressId, 1)));
    const placed = await place(shopper, { shippingAddressId: addressId });
    expect(placed.errors).toBeUndefined();
    expect(placed.data?.placeOrder).toMatchObject({ status: 'PENDING', shippingAddress: ADDRESS });

    await projection().apply(
      USER_ADDRESSES_QUEUE,
      newId(),
      asEvent(saved(shopper.id, addressId, 2, { recipient: 'Moved', roadAddress: '1 Sejong-daero' })),
    );
    await projection().apply(USER_ADDRESSES_QUEUE, newId(), {
      kind: 'removed',
      addressId,
      userId: shopper.id,
      version: 3,
    });
    const read = await stack.client.call<{ order: { shippingAddress: typeof ADDRESS } }>(
      shopper,
      `{ order(id: "${placed.data?.placeOrder.id}") { shippingAddress { recipient phone zipCode roadAddress detailAddress } } }`,
    );
    expect(read.data?.order.shippingAddress).toEqual(ADDRESS);
  });

  it('answers the same order to a retry with the same key, even after the address was edited or removed', async () => {
    const shopper = customer();
    const addressId = newId();
    await projection().apply(USER_ADDRESSES_QUEUE, newId(), asEvent(saved(shopper.id, addressId, 1)));
    const input = {
      shippingAddressId: addressId,
      idempotencyKey: `key-${newId()}`,
      items: [{ productId: newId(), quantity: 2 }],
    };
    const first = await stack.client.call<Placed>(shopper, PLACE, { input });
    await projection().apply(
      USER_ADDRESSES_QUEUE,
      newId(),
      asEvent(saved(shopper.id, addressId, 2, { recipient: 'Edited' })),
    );
    const edited = await stack.client.call<Placed>(shopper, PLACE, { input });
    expect(edited.data?.placeOrder.id).toBe(first.data?.placeOrder.id);
    expect(edited.data?.placeOrder.shippingAddress.recipient).toBe(ADDRESS.recipient);
    await projection().apply(USER_ADDRESSES_QUEUE, newId(), {
      kind: 'removed',
      addressId,
      userId: shopper.id,
      version: 3,
    });
    const removed = await stack.client.call<Placed>(shopper, PLACE, { input });
    expect(removed.data?.placeOrder.id).toBe(first.data?.placeOrder.id);
    // The same key with the address written out is another request.
    expect(
      codeOf(
        await stack.client.call(shopper, PLACE, {
          input: { ...input, shippingAddressId: null, shippingAddress: ADDRESS },
        }),
      ),
    ).toBe('CONFLICT');
  });

  it('refuses both or neither with BAD_USER_INPUT, and writes nothing', async () => {
    const shopper = customer();
    const both = await place(shopper, { shippingAddressId: newId(), shippingAddress: ADDRESS });
    expect(codeOf(both)).toBe('BAD_USER_INPUT');
    expect(both.errors?.[0]?.extensions?.problems).toEqual([
      { field: 'input.shippingAddressId', message: 'give shippingAddressId or shippingAddress, not both' },
    ]);
    const neither = await place(shopper, {});
    expect(codeOf(neither)).toBe('BAD_USER_INPUT');
    expect(neither.errors?.[0]?.extensions?.problems).toEqual([
      { field: 'input.shippingAddress', message: 'give shippingAddressId (a saved address) or shippingAddress' },
    ]);
    const nulls = await place(shopper, { shippingAddressId: null, shippingAddress: null });
    expect(codeOf(nulls)).toBe('BAD_USER_INPUT');
    const malformed = await place(shopper, { shippingAddressId: 'home' });
    expect(malformed.errors?.[0]?.extensions?.problems).toEqual([
      { field: 'input.shippingAddressId', message: 'must be an address id' },
    ]);
    expect(await stack.sql('SELECT id FROM orders WHERE user_id = $1', shopper.id)).toEqual([]);
  });

  it('answers NOT_FOUND for another shopper’s, a removed or an unknown address, with what to do, and writes nothing', async () => {
    const owner = customer();
    const shopper = customer();
    const theirs = newId();
    const gone = newId();
    await projection().apply(USER_ADDRESSES_QUEUE, newId(), asEvent(saved(owner.id, theirs, 1)));
    await projection().apply(USER_ADDRESSES_QUEUE, newId(), asEvent(saved(shopper.id, gone, 1)));
    await projection().apply(USER_ADDRESSES_QUEUE, newId(), {
      kind: 'removed',
      addressId: gone,
      userId: shopper.id,
      version: 2,
    });
    for (const addressId of [theirs, gone, newId()]) {
      const refused = await place(shopper, { shippingAddressId: addressId });
      expect(codeOf(refused)).toBe('NOT_FOUND');
      expect(refused.errors?.[0]?.message).toMatch(
        /^Address not found among your saved addresses\. .*try again shortly/,
      );
    }
    expect(await stack.sql('SELECT id FROM orders WHERE user_id = $1', shopper.id)).toEqual([]);
  });
});
