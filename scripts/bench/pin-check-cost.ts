// What one wallet PIN check costs alone: argon2id `verify` of @node-rs/argon2, the call the
// payments subgraph's PinGuard makes (subgraphs/payments/src/domain/pin-hashing.ts), on a hash the
// subgraph itself stored. verify reads its parameters (m, t, p) from the hash, so this measures
// exactly the subgraph's settings. @node-rs/argon2 runs each verify on libuv's thread pool
// (UV_THREADPOOL_SIZE threads, 4 by default), so more verifies in flight than cores only queue.
import { verify } from '@node-rs/argon2';
import { closedLoop } from './closed-loop.js';
import { processCpuMs } from './cpu-time.js';
import { quantile } from './stats.js';

export interface VerifyFigures {
  readonly inFlight: number;
  readonly verifies: number;
  readonly perSecond: number;
  /** Latency of one verify, ms. */
  readonly p50: number;
  readonly p99: number;
  /** CPU of this process (every thread) per verify, ms. */
  readonly cpuMsPerVerify: number;
}

/** The parameter part of a PHC string: `$argon2id$v=19$m=19456,t=2,p=1$…` → `argon2id v=19 m=19456,t=2,p=1`. */
export const hashParameters = (phc: string): string => phc.split('$').slice(1, 4).join(' ');

/**
 * `count` verifies of `pin` against `stored` (which it must match), `inFlight` at a time, after
 * `warmup` unmeasured ones.
 */
export async function measureVerify(
  stored: string,
  pin: string,
  options: { inFlight: number; count: number; warmup?: number },
): Promise<VerifyFigures> {
  const once = async () => {
    if (!(await verify(stored, pin))) throw new Error('the PIN does not match the stored hash');
  };
  await closedLoop(options.warmup ?? options.inFlight, options.inFlight, once);
  const cpuBefore = processCpuMs(process.pid) ?? 0;
  const result = await closedLoop(options.count, options.inFlight, once);
  const cpuMs = (processCpuMs(process.pid) ?? 0) - cpuBefore;
  if (result.failures > 0) throw new Error(`argon2 verify failed: ${result.failureMessages.join('; ')}`);
  const sorted = [...result.latencies].sort((a, b) => a - b);
  return {
    inFlight: options.inFlight,
    verifies: result.latencies.length,
    perSecond: (result.latencies.length * 1000) / result.wallMs,
    p50: quantile(sorted, 0.5),
    p99: quantile(sorted, 0.99),
    cpuMsPerVerify: cpuMs / result.latencies.length,
  };
}
