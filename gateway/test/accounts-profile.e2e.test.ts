import { eventually, graphql } from '@radiata/testing';
import { type SignedIn, signUp } from './support/accounts.js';
import { ok } from './support/catalog.js';
import { orderWhen, placeOrder, product, type ShopGraph, startShopGraph } from './support/orders.js';

// A shopper's profile and address book (users), and ordering with a saved address: orders takes it
// from its own projection of users' address events and keeps a copy that later edits do not touch.

let shop: ShopGraph;
beforeAll(async () => {
  shop = await startShopGraph();
});
afterAll(() => shop.stop());

const ADDRESS_FIELDS = 'id label recipient phone zipCode roadAddress detailAddress isDefault';
const SHIPPING_FIELDS = 'recipient phone zipCode roadAddress detailAddress';

interface AddressView {
  id: string;
  label: string | null;
  recipient: string;
  phone: string;
  zipCode: string;
  roadAddress: string;
  detailAddress: string;
  isDefault: boolean;
}

const addAddress = async (as: SignedIn, input: Record<string, unknown>) =>
  (
    await ok<{ addAddress: AddressView }>(
      shop.graph,
      `mutation($input: AddAddressInput!) { addAddress(input: $input) { ${ADDRESS_FIELDS} } }`,
      { input },
      as,
    )
  ).addAddress;

/** Whether orders' projection holds the address at `version` (the users relay brought the event). */
const projected = (addressId: string, version: number) => async () =>
  (
    await shop.graph.orders.sql<{ version: number }>(
      'SELECT version FROM user_addresses WHERE address_id = $1',
      addressId,
    )
  )[0]?.version === version;

const shippingAddressOf = async (as: SignedIn, orderId: string) =>
  (
    await ok<{ order: { shippingAddress: Record<string, string> } }>(
      shop.graph,
      `query($id: ID!) { order(id: $id) { shippingAddress { ${SHIPPING_FIELDS} } } }`,
      { id: orderId },
      as,
    )
  ).order.shippingAddress;

it('a shopper edits their profile, keeps an address book, and orders to a saved address whose later edits leave the order alone', async () => {
  const shopper = await signUp(shop.graph);

  // The profile: the phone is stored as 010-1234-5678 however it was typed.
  const profile = await ok<{ updateProfile: { name: string; phone: string; locale: string } }>(
    shop.graph,
    'mutation($input: UpdateProfileInput!) { updateProfile(input: $input) { name phone locale } }',
    { input: { name: 'Kim Minji', phone: '010 9876 5432', locale: 'EN' } },
    shopper,
  );
  expect(profile.updateProfile).toEqual({ name: 'Kim Minji', phone: '010-9876-5432', locale: 'EN' });

  // The address book: the first address is the default until another is made it.
  const home = await addAddress(shopper, {
    label: 'Home',
    recipient: 'Kim Minji',
    phone: '01098765432',
    zipCode: '06236',
    roadAddress: '152 Teheran-ro, Gangnam-gu, Seoul',
    detailAddress: '12F',
  });
  expect(home).toMatchObject({ phone: '010-9876-5432', isDefault: true });
  const office = await addAddress(shopper, {
    label: 'Office',
    recipient: 'Kim Minji',
    phone: '010-5555-6666',
    zipCode: '04524',
    roadAddress: '110 Sejong-daero, Jung-gu, Seoul',
    detailAddress: '3F reception',
  });
  expect(office.isDefault).toBe(false);
  await ok(shop.graph, 'mutation($id: ID!) { setDefaultAddress(id: $id) { id } }', { id: office.id }, shopper);
  const me = await ok<{ me: { phone: string; locale: string; addresses: AddressView[]; defaultAddress: AddressView } }>(
    shop.graph,
    `{ me { phone locale addresses { ${ADDRESS_FIELDS} } defaultAddress { id } } }`,
    {},
    shopper,
  );
  expect(me.me).toMatchObject({ phone: '010-9876-5432', locale: 'EN', defaultAddress: { id: office.id } });
  expect(me.me.addresses).toEqual([
    { ...office, isDefault: true },
    { ...home, isDefault: false },
  ]);

  // Ordering to the default address by its id, once orders has heard of it (events, no call to users).
  const socks = await product(shop, { name: 'Wool socks', price: 12_000, stockQuantity: 20 });
  await eventually(projected(office.id, 2));
  const placed = await placeOrder(shop, shopper, {
    items: [{ productId: socks.id, quantity: 2 }],
    shippingAddress: null,
    shippingAddressId: office.id,
  });
  expect(placed.errors).toBeUndefined();
  const orderId = placed.data?.placeOrder.id as string;
  const copy = {
    recipient: 'Kim Minji',
    phone: '010-5555-6666',
    zipCode: '04524',
    roadAddress: '110 Sejong-daero, Jung-gu, Seoul',
    detailAddress: '3F reception',
  };
  expect(await shippingAddressOf(shopper, orderId)).toEqual(copy);
  expect((await orderWhen(shop, shopper, orderId, 'AWAITING_PAYMENT')).amountToPay).toBe(24_000);

  // The address changes, then goes: the order keeps the copy it took.
  const edited = await ok<{ updateAddress: AddressView }>(
    shop.graph,
    `mutation($id: ID!, $input: UpdateAddressInput!) { updateAddress(id: $id, input: $input) { ${ADDRESS_FIELDS} } }`,
    { id: office.id, input: { recipient: 'Lee Minji', detailAddress: '5F' } },
    shopper,
  );
  expect(edited.updateAddress).toMatchObject({ recipient: 'Lee Minji', detailAddress: '5F', isDefault: true });
  await eventually(projected(office.id, 3));
  expect(await shippingAddressOf(shopper, orderId)).toEqual(copy);
  await ok(shop.graph, 'mutation($id: ID!) { removeAddress(id: $id) }', { id: office.id }, shopper);
  await eventually(projected(office.id, 4));
  expect(await shippingAddressOf(shopper, orderId)).toEqual(copy);
  const after = await ok<{ me: { addresses: { id: string; isDefault: boolean }[] } }>(
    shop.graph,
    '{ me { addresses { id isDefault } } }',
    {},
    shopper,
  );
  expect(after.me.addresses).toEqual([{ id: home.id, isDefault: true }]);

  // Nobody else ships to it, nor sees or changes the address book.
  const stranger = await signUp(shop.graph);
  const theirs = await placeOrder(shop, stranger, {
    items: [{ productId: socks.id, quantity: 1 }],
    shippingAddress: null,
    shippingAddressId: home.id,
  });
  expect(theirs.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  const snooped = await graphql(shop.graph.gateway.url, 'mutation($id: ID!) { removeAddress(id: $id) }', {
    token: stranger.accessToken,
    variables: { id: home.id },
  });
  expect(snooped.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  const both = await placeOrder(shop, shopper, {
    items: [{ productId: socks.id, quantity: 1 }],
    shippingAddressId: home.id,
  });
  expect(both.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
});

it('answers UNAUTHENTICATED to an anonymous profile or address change', async () => {
  const profile = await graphql(shop.graph.gateway.url, 'mutation { updateProfile(input: { name: "x" }) { id } }', {});
  expect(profile.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  const address = await graphql(
    shop.graph.gateway.url,
    'mutation { addAddress(input: { recipient: "x", phone: "01012345678", zipCode: "06236", roadAddress: "r" }) { id } }',
    {},
  );
  expect(address.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
});
