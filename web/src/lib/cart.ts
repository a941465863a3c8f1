// The cart: what the shopper means to buy, kept in this browser (localStorage) until the order is
// placed. Prices are never kept here: the order's reservations price it.
import { useSyncExternalStore } from 'react';

export interface CartLine {
  readonly productId: string;
  readonly quantity: number;
  /** Buy it in this LIVE time sale (at its price, within its per-shopper limit). */
  readonly timeSaleId?: string | undefined;
}

const KEY = 'radiata.cart';
const MAX_QUANTITY = 99;
const listeners = new Set<() => void>();

function read(): readonly CartLine[] {
  try {
    const value = JSON.parse(localStorage.getItem(KEY) ?? '[]') as unknown;
    if (!Array.isArray(value)) return [];
    return value.filter(
      (line): line is CartLine =>
        typeof line?.productId === 'string' && Number.isInteger(line.quantity) && line.quantity > 0,
    );
  } catch {
    return [];
  }
}

let lines = read();

function write(next: readonly CartLine[]): void {
  lines = next;
  localStorage.setItem(KEY, JSON.stringify(next));
  for (const listener of listeners) listener();
}

window.addEventListener('storage', (event) => {
  if (event.key !== KEY && event.key !== null) return;
  lines = read();
  for (const listener of listeners) listener();
});

const sameLine = (a: CartLine, productId: string, timeSaleId: string | undefined) =>
  a.productId === productId && (a.timeSaleId ?? undefined) === timeSaleId;

export const cart = {
  lines: (): readonly CartLine[] => lines,
  add(productId: string, quantity = 1, timeSaleId?: string): void {
    const existing = lines.find((line) => sameLine(line, productId, timeSaleId));
    if (existing) {
      cart.setQuantity(productId, timeSaleId, existing.quantity + quantity);
      return;
    }
    write([...lines, { productId, quantity: Math.min(quantity, MAX_QUANTITY), timeSaleId }]);
  },
  setQuantity(productId: string, timeSaleId: string | undefined, quantity: number): void {
    const clamped = Math.max(1, Math.min(MAX_QUANTITY, Math.floor(quantity)));
    write(lines.map((line) => (sameLine(line, productId, timeSaleId) ? { ...line, quantity: clamped } : line)));
  },
  remove(productId: string, timeSaleId: string | undefined): void {
    write(lines.filter((line) => !sameLine(line, productId, timeSaleId)));
  },
  clear(): void {
    write([]);
  },
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

export const useCart = (): readonly CartLine[] => useSyncExternalStore(cart.subscribe, cart.lines);
