// How big a load run is and when each part happens. The default size runs in about two minutes on
// a two-core machine (CI runs it); `--full` is the rehearsal of a real midnight sale.

export type ScenarioName = 'browse' | 'rush' | 'checkout' | 'live';
export const SCENARIOS: readonly ScenarioName[] = ['browse', 'rush', 'checkout', 'live'];

/** An artillery phase (https://www.artillery.io/docs/reference/test-script#phases). */
export type Phase =
  | { readonly name: string; readonly duration: number; readonly arrivalRate: number; readonly rampTo?: number }
  | { readonly name: string; readonly duration: number; readonly arrivalCount: number }
  | { readonly name: string; readonly pause: number };

export interface LoadSize {
  readonly name: 'default' | 'full';
  /** Rush: shoppers racing for the coupon, and how many coupons there are. */
  readonly rushShoppers: number;
  readonly couponQuantity: number;
  /** Checkout: buyers, and the sale quantity they race for (fewer than buyers in a midnight sale). */
  readonly buyers: number;
  readonly saleQuantity: { readonly alone: number; readonly midnight: number };
  /** Browse: sessions per second at the peak. */
  readonly browsePeakRate: number;
  /** Live: watchers connected. */
  readonly watchers: number;
}

export const SIZES: Record<LoadSize['name'], LoadSize> = {
  default: {
    name: 'default',
    rushShoppers: 1000,
    couponQuantity: 300,
    buyers: 40,
    saleQuantity: { alone: 40, midnight: 30 },
    browsePeakRate: 10,
    watchers: 100,
  },
  full: {
    name: 'full',
    rushShoppers: 5000,
    couponQuantity: 1000,
    buyers: 300,
    saleQuantity: { alone: 300, midnight: 200 },
    browsePeakRate: 40,
    watchers: 1000,
  },
};

/** Seconds from the scenarios' start to T0 (coupon open, sale live): artillery starts, users arrive. */
export const LEAD_SECONDS = 20;
/** Seconds the sale goes on after T0 in a midnight sale (browsing and watching). */
const AFTER_T0_SECONDS = 40;

export interface ScenarioTiming {
  readonly phases: readonly Phase[];
}

/**
 * Each scenario's phases, counted from the moment the runner starts them (T0 = LEAD_SECONDS
 * later). In a midnight sale all four run at once: browsing ramps up to T0 and stays, watchers
 * join early and stay, the rush arrives just before T0, checkouts start 5 s after it.
 */
export function phasesOf(scenario: ScenarioName, size: LoadSize, midnight: boolean): Phase[] {
  switch (scenario) {
    case 'browse':
      return [
        { name: 'ramp to T0', duration: LEAD_SECONDS, arrivalRate: 1, rampTo: size.browsePeakRate },
        { name: 'sale', duration: AFTER_T0_SECONDS, arrivalRate: size.browsePeakRate },
      ];
    case 'rush':
      // Every shopper arrives in the first seconds and waits for T0 (processors/rush.ts).
      return [{ name: 'arrive before T0', duration: 5, arrivalCount: size.rushShoppers }];
    case 'checkout':
      return [
        ...(midnight ? [{ name: 'until T0 + 5 s', pause: LEAD_SECONDS + 5 }] : []),
        { name: 'buyers', duration: 20, arrivalCount: size.buyers },
      ];
    case 'live':
      return [{ name: 'join', duration: 10, arrivalCount: size.watchers }];
  }
}

/** How long a live watcher stays: through T0 and the sale's first seconds. */
export const WATCH_SECONDS = LEAD_SECONDS + AFTER_T0_SECONDS - 10;

/** An artillery `ensure` threshold: a metric's aggregate (`http.response_time.p99`) and its ceiling. */
export type Threshold = Readonly<Record<string, number>>;

/**
 * The latency ceilings of the default size, which runs on whatever machine CI has: two shared
 * cores carrying the whole stack, artillery and whatever else runs there. They only catch a stack
 * that stops answering in time (the figures themselves are printed and recorded in docs/LOAD.md);
 * the scenario files hold the readiness ceilings, which `--full` applies. Correctness conditions
 * (no GraphQL error, no failed user, the checks after the run) are the same at both sizes.
 */
export const DEFAULT_SIZE_THRESHOLDS: Record<ScenarioName, readonly Threshold[]> = {
  browse: [{ 'http.response_time.p99': 15_000 }, { 'http.response_time.p95': 8000 }],
  rush: [{ 'graphql.response_time.claimCoupon.p99': 15_000 }, { 'rush.accepted_to_issued.p99': 20_000 }],
  checkout: [{ 'http.response_time.p99': 15_000 }, { 'checkout.placed_to_paid.p99': 60_000 }],
  live: [{ 'live.countdown.delay.p99': 5000 }, { 'live.price.delay.p99': 15_000 }],
};

/** What the runner merges into a scenario file for this size and shape (artillery --overrides). */
export function overridesOf(scenario: ScenarioName, size: LoadSize, midnight: boolean): Record<string, unknown> {
  const config: Record<string, unknown> = { phases: phasesOf(scenario, size, midnight) };
  if (size.name === 'default') {
    config.plugins = { ensure: { thresholds: DEFAULT_SIZE_THRESHOLDS[scenario] } };
    config.http = { timeout: requestTimeoutSeconds(size) };
  }
  return { config };
}

/** How long a request may wait for its answer (the HTTP engine's and the processors' requests). */
export function requestTimeoutSeconds(size: LoadSize): number {
  // A busy shared machine: an answer within 30 s is slow, not lost.
  return size.name === 'default' ? 30 : 10;
}
