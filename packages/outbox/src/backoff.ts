export interface RetryOptions {
  /** Delay after the first failure. Default 200 ms. */
  readonly initialDelayMs?: number;
  /** Cap of the exponential backoff. Default 30 s. */
  readonly maxDelayMs?: number;
}

export type Backoff = (failures: number) => number;

/** Exponential backoff with ±20 % jitter, so rows that failed together do not retry in lockstep. */
export function backoff(options: RetryOptions = {}): Backoff {
  const initial = options.initialDelayMs ?? 200;
  const max = options.maxDelayMs ?? 30_000;
  return (failures) => {
    const base = Math.min(max, initial * 2 ** Math.max(0, failures - 1));
    return Math.round(Math.min(max, base * (0.8 + 0.4 * Math.random())));
  };
}
