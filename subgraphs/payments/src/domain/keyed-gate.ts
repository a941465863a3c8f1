interface Slot {
  inFlight: number;
  readonly waiters: (() => void)[];
}

/**
 * At most `capacity` holders per key at once in this process; the rest wait their turn (FIFO).
 * Keeps the PIN checks of one wallet from racing each other here, so the database's
 * cross-replica reservation (PinGuard) rarely has to refuse one.
 */
export class KeyedGate {
  private readonly slots = new Map<string, Slot>();

  async enter(key: string, capacity: number): Promise<() => void> {
    let slot = this.slots.get(key);
    if (!slot) {
      slot = { inFlight: 0, waiters: [] };
      this.slots.set(key, slot);
    }
    if (slot.inFlight >= capacity) {
      const held = slot;
      await new Promise<void>((resolve) => held.waiters.push(resolve));
    } else {
      slot.inFlight += 1;
    }
    const entered = slot;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = entered.waiters.shift();
      // The slot passes straight to the next waiter: inFlight stays the same.
      if (next) next();
      else if (--entered.inFlight === 0) this.slots.delete(key);
    };
  }

  /** Holders of `key` in this process now. */
  inFlight(key: string): number {
    return this.slots.get(key)?.inFlight ?? 0;
  }
}
