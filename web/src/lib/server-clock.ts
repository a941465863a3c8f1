// The server's clock, as the shop's countdowns need it. Never the browser's wall clock: it may be
// minutes off, or change while the page is open. Each timeSaleCountdown event carries `at`, the
// server's time when it was sent; it arrives a little later, so `at - (when it arrived)` is a
// lower bound of (server time - local monotonic time), and the largest bound seen (the event that
// travelled fastest) is the best estimate. Local time is performance.now(): monotonic, so a change
// of the browser's clock moves nothing.
import { useCallback, useMemo, useRef, useState } from 'react';

/** How many recent samples count (older ones may predate a server clock adjustment). */
const WINDOW = 30;

export interface ServerClock {
  /** Server time now in ms since the epoch, once one event was seen; undefined before. */
  now(): number | undefined;
  /** Feed it each event's `at` (ISO instant) as it arrives. */
  sample(atIso: string): void;
  /** Whether any event was seen yet. */
  readonly synced: boolean;
}

export function useServerClock(): ServerClock {
  const samples = useRef<number[]>([]);
  const offset = useRef<number | undefined>(undefined);
  const [synced, setSynced] = useState(false);
  const sample = useCallback((atIso: string) => {
    const at = Date.parse(atIso);
    if (Number.isNaN(at)) return;
    const list = samples.current;
    list.push(at - performance.now());
    if (list.length > WINDOW) list.shift();
    offset.current = Math.max(...list);
    setSynced(true);
  }, []);
  const now = useCallback(() => (offset.current === undefined ? undefined : performance.now() + offset.current), []);
  return useMemo(() => ({ now, sample, synced }), [now, sample, synced]);
}
