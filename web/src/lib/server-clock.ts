// The server's clock, as the shop's countdowns need it. Never the browser's wall clock: it may be
// minutes off, or change while the page is open. Each timeSaleCountdown event carries `at`, the
// server's time when it was sent; it arrives a little later, so `at - (when it arrived)` is a
// lower bound of (server time - local monotonic time), and the largest bound seen (the event that
// travelled fastest) is the best estimate. Local time is performance.now(): monotonic, so a change
// of the browser's clock moves nothing.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useClient } from 'urql';
import { graphql } from '../generated/graphql';

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

const ServerTimeQuery = graphql(`
  query ServerTime {
    serverTime
  }
`);

/** Round trips a queried clock takes; the shortest one's midpoint is the estimate. */
const ROUND_TRIPS = 3;

/**
 * The server's clock for pages with no countdown stream (a coupon's opening): `serverTime` asked
 * a few times, each answer placed in the middle of its round trip on the monotonic clock; the
 * shortest round trip is the most precise (its error is at most half of it).
 */
export function useQueriedServerClock(): Pick<ServerClock, 'now' | 'synced'> {
  const client = useClient();
  const offset = useRef<number | undefined>(undefined);
  const [synced, setSynced] = useState(false);
  useEffect(() => {
    let cancelled = false;
    void (async () => {
      let best: { roundTrip: number; offset: number } | undefined;
      for (let trip = 0; trip < ROUND_TRIPS && !cancelled; trip++) {
        const sentAt = performance.now();
        const answer = await client.query(ServerTimeQuery, {}, { requestPolicy: 'network-only' }).toPromise();
        const receivedAt = performance.now();
        const serverMs = answer.data ? Date.parse(answer.data.serverTime) : Number.NaN;
        if (Number.isNaN(serverMs)) continue;
        const roundTrip = receivedAt - sentAt;
        if (!best || roundTrip < best.roundTrip) best = { roundTrip, offset: serverMs - (sentAt + receivedAt) / 2 };
      }
      if (!cancelled && best) {
        offset.current = best.offset;
        setSynced(true);
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [client]);
  const now = useCallback(() => (offset.current === undefined ? undefined : performance.now() + offset.current), []);
  return useMemo(() => ({ now, synced }), [now, synced]);
}
