// The shop's clock (src/lib/server-clock.ts): the server's time, estimated from the `at` of each
// timeSaleCountdown event and the browser's monotonic clock, never from the browser's wall clock.
// Jest's fake timers stand in for both browser clocks: advanceTimersByTime moves performance.now()
// and Date together (time passing), setSystemTime moves Date alone (the shopper changing their
// clock). The hook runs in a component rendered once by react-dom/server: what it returns works
// through refs, so the same object keeps answering after the render.
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { type ServerClock, useServerClock } from '../../src/lib/server-clock.js';

/** The server's true time when the test starts. */
const SERVER_START = Date.parse('2026-11-27T14:59:50.000Z');
/** The browser's wall clock is 5 minutes fast. */
const BROWSER_SKEW_MS = 5 * 60_000;

/** What the hook returned in the last render of Probe. */
let rendered: ServerClock | undefined;

function Probe() {
  rendered = useServerClock();
  return null;
}

function renderClock(): ServerClock {
  rendered = undefined;
  renderToString(createElement(Probe));
  if (!rendered) throw new Error('the probe did not render');
  return rendered;
}

let clock: ServerClock;
/** performance.now() when the test started: the server's time is SERVER_START plus what elapsed since. */
let localStart: number;
const serverNow = () => SERVER_START + (performance.now() - localStart);
const iso = (ms: number) => new Date(ms).toISOString();

/** An event the server stamps now and the browser receives `delayMs` later. */
function deliver(delayMs: number): void {
  const at = iso(serverNow());
  jest.advanceTimersByTime(delayMs);
  clock.sample(at);
}

beforeEach(() => {
  jest.useFakeTimers({ now: SERVER_START + BROWSER_SKEW_MS });
  localStart = performance.now();
  clock = renderClock();
});

afterEach(() => {
  jest.useRealTimers();
});

test('knows nothing before the first event', () => {
  expect(clock.now()).toBeUndefined();
  expect(clock.synced).toBe(false);
  jest.advanceTimersByTime(1000);
  expect(clock.now()).toBeUndefined();
});

test("follows the server's time, not the browser's wall clock five minutes ahead", () => {
  deliver(80);
  // The event says when it was sent: the estimate is at most its travel time behind.
  expect(clock.now()).toBe(serverNow() - 80);
  expect(Date.now() - (clock.now() as number)).toBe(BROWSER_SKEW_MS + 80);
  // It runs on by itself between events.
  jest.advanceTimersByTime(1500);
  expect(clock.now()).toBe(serverNow() - 80);
});

test('the event that travelled fastest sets the estimate', () => {
  deliver(300);
  deliver(40);
  deliver(900);
  deliver(120);
  expect(clock.now()).toBe(serverNow() - 40);
});

test("a change of the browser's clock while the page is open moves nothing", () => {
  deliver(50);
  const before = clock.now() as number;
  // The shopper sets their clock back an hour.
  jest.setSystemTime(Date.now() - 60 * 60_000);
  expect(clock.now()).toBe(before);
  jest.advanceTimersByTime(2000);
  expect(clock.now()).toBe(before + 2000);
});

test("only the last 30 events count: after the server's clock is set back, the estimate follows it", () => {
  deliver(10);
  expect(clock.now()).toBe(serverNow() - 10);
  // The server's clock is stepped back 3 s (NTP); its next events all travel 200 ms.
  localStart += 3000;
  for (let event = 1; event < 30; event++) deliver(200);
  // 29 new events: the old, fast one still counts, and is now 3 s ahead of the server.
  expect(clock.now()).toBe(serverNow() + 3000 - 10);
  deliver(200);
  expect(clock.now()).toBe(serverNow() - 200);
});

test('an event without a readable time is ignored', () => {
  clock.sample('not a time');
  clock.sample('');
  expect(clock.now()).toBeUndefined();
  deliver(25);
  clock.sample('2026-13-45T99:00:00Z');
  expect(clock.now()).toBe(serverNow() - 25);
});
