// The cart (src/lib/cart.ts): what the shopper means to buy, kept in this browser's localStorage
// and shared live with their other tabs. The browser is stood in for by what the module touches:
// a Storage kept in memory and a window that dispatches `storage` events. Each test loads the
// module afresh, as a page load does, over what the storage holds then.
type CartModule = typeof import('../../src/lib/cart.js');

const KEY = 'radiata.cart';

/** localStorage as a browser keeps it (strings only). */
class MemoryStorage implements Storage {
  private readonly items = new Map<string, string>();
  get length(): number {
    return this.items.size;
  }
  clear(): void {
    this.items.clear();
  }
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  key(index: number): string | null {
    return [...this.items.keys()][index] ?? null;
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
  setItem(key: string, value: string): void {
    this.items.set(key, String(value));
  }
}

let storage: MemoryStorage;
let browserWindow: EventTarget;

/** The cart module as a fresh page loads it. */
async function loadCart(): Promise<CartModule['cart']> {
  let loaded: CartModule | undefined;
  await jest.isolateModulesAsync(async () => {
    loaded = await import('../../src/lib/cart.js');
  });
  if (!loaded) throw new Error('cart.ts did not load');
  return loaded.cart;
}

const stored = (): unknown => JSON.parse(storage.getItem(KEY) ?? 'null');

/** What another tab's write looks like here: the storage changed, then a `storage` event. */
function anotherTabWrites(key: string | null, value: unknown): void {
  if (key === null) storage.clear();
  else storage.setItem(key, JSON.stringify(value));
  browserWindow.dispatchEvent(Object.assign(new Event('storage'), { key }));
}

beforeEach(() => {
  storage = new MemoryStorage();
  browserWindow = new EventTarget();
  Object.defineProperty(globalThis, 'localStorage', { value: storage, configurable: true, writable: true });
  Object.defineProperty(globalThis, 'window', { value: browserWindow, configurable: true, writable: true });
});

test('an empty browser has an empty cart', async () => {
  const cart = await loadCart();
  expect(cart.lines()).toEqual([]);
});

test('a page load starts from what the browser kept, leaving out lines that make no sense', async () => {
  storage.setItem(
    KEY,
    JSON.stringify([
      { productId: 'p1', quantity: 2 },
      { productId: 'p2', quantity: 1, timeSaleId: 's1' },
      { productId: 'p3', quantity: 0 },
      { productId: 'p4', quantity: 1.5 },
      { productId: 42, quantity: 1 },
      { quantity: 3 },
      null,
    ]),
  );
  const cart = await loadCart();
  expect(cart.lines()).toEqual([
    { productId: 'p1', quantity: 2 },
    { productId: 'p2', quantity: 1, timeSaleId: 's1' },
  ]);
});

test.each([
  ['not JSON', '{"productId":'],
  ['not a list', JSON.stringify({ productId: 'p1', quantity: 1 })],
])('what the browser kept is %s: an empty cart', async (_, value) => {
  storage.setItem(KEY, value);
  const cart = await loadCart();
  expect(cart.lines()).toEqual([]);
});

test('adding the same product again adds to its line; in a time sale it is a line of its own', async () => {
  const cart = await loadCart();
  cart.add('p1');
  cart.add('p1', 2);
  cart.add('p1', 1, 's1');
  cart.add('p2', 3);
  expect(cart.lines()).toEqual([
    { productId: 'p1', quantity: 3, timeSaleId: undefined },
    { productId: 'p1', quantity: 1, timeSaleId: 's1' },
    { productId: 'p2', quantity: 3, timeSaleId: undefined },
  ]);
  // Kept in the browser for the next page load.
  expect(stored()).toEqual([
    { productId: 'p1', quantity: 3 },
    { productId: 'p1', quantity: 1, timeSaleId: 's1' },
    { productId: 'p2', quantity: 3 },
  ]);
  const reloaded = await loadCart();
  expect(reloaded.lines()).toEqual([
    { productId: 'p1', quantity: 3 },
    { productId: 'p1', quantity: 1, timeSaleId: 's1' },
    { productId: 'p2', quantity: 3 },
  ]);
});

test('quantities stay between 1 and 99, whole', async () => {
  const cart = await loadCart();
  cart.add('p1', 150);
  expect(cart.lines()[0]?.quantity).toBe(99);
  cart.add('p2', 98);
  cart.add('p2', 5);
  expect(cart.lines()[1]?.quantity).toBe(99);
  cart.setQuantity('p1', undefined, 0);
  expect(cart.lines()[0]?.quantity).toBe(1);
  cart.setQuantity('p1', undefined, -4);
  expect(cart.lines()[0]?.quantity).toBe(1);
  cart.setQuantity('p1', undefined, 7.8);
  expect(cart.lines()[0]?.quantity).toBe(7);
});

test('setting a quantity or removing touches only that line (product and sale)', async () => {
  const cart = await loadCart();
  cart.add('p1', 2);
  cart.add('p1', 1, 's1');
  cart.setQuantity('p1', 's1', 4);
  expect(cart.lines().map((line) => line.quantity)).toEqual([2, 4]);
  cart.remove('p1', undefined);
  expect(cart.lines()).toEqual([{ productId: 'p1', quantity: 4, timeSaleId: 's1' }]);
  cart.remove('p9', undefined);
  expect(cart.lines()).toHaveLength(1);
  cart.clear();
  expect(cart.lines()).toEqual([]);
  expect(stored()).toEqual([]);
});

test('subscribers hear every change until they unsubscribe', async () => {
  const cart = await loadCart();
  const heard: number[] = [];
  const unsubscribe = cart.subscribe(() => heard.push(cart.lines().length));
  cart.add('p1');
  cart.add('p2');
  cart.remove('p1', undefined);
  expect(heard).toEqual([1, 2, 1]);
  unsubscribe();
  cart.clear();
  expect(heard).toEqual([1, 2, 1]);
});

test("another tab's change shows here at once; other keys of the storage change nothing", async () => {
  const cart = await loadCart();
  cart.add('p1');
  let heard = 0;
  cart.subscribe(() => {
    heard++;
  });

  anotherTabWrites(KEY, [{ productId: 'p7', quantity: 5 }]);
  expect(cart.lines()).toEqual([{ productId: 'p7', quantity: 5 }]);
  expect(heard).toBe(1);

  anotherTabWrites('radiata.session', { user: 'someone' });
  expect(cart.lines()).toEqual([{ productId: 'p7', quantity: 5 }]);
  expect(heard).toBe(1);

  // Another tab cleared the whole storage (the event's key is null).
  anotherTabWrites(null, undefined);
  expect(cart.lines()).toEqual([]);
  expect(heard).toBe(2);
});
