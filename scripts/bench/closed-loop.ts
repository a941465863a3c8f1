// A closed-loop load: a fixed number of operations, a fixed number in flight. Each of
// `concurrency` workers sends its next operation as soon as its previous one has answered, so
// every operation is accounted for (which one, how long, whether it was right).

export interface ClosedLoopResult {
  /** ms per finished operation (answered or failed), in the order they finished. */
  readonly latencies: readonly number[];
  /** Operations whose `operate` threw. */
  readonly failures: number;
  /** The first few failures' messages. */
  readonly failureMessages: readonly string[];
  /** From the first operation sent until the last one finished. */
  readonly wallMs: number;
}

const KEPT_MESSAGES = 5;

/**
 * Runs `operate(0)` … `operate(count - 1)`, `concurrency` at a time; `operate` throws when the
 * answer is not the expected one. Stops taking new operations once `stopped()` is true.
 */
export async function closedLoop(
  count: number,
  concurrency: number,
  operate: (index: number) => Promise<void>,
  stopped: () => boolean = () => false,
): Promise<ClosedLoopResult> {
  const latencies: number[] = [];
  const failureMessages: string[] = [];
  let failures = 0;
  let next = 0;
  const worker = async () => {
    while (next < count && !stopped()) {
      const index = next++;
      const sent = performance.now();
      try {
        await operate(index);
      } catch (error) {
        failures += 1;
        if (failureMessages.length < KEPT_MESSAGES) failureMessages.push((error as Error).message);
      }
      latencies.push(performance.now() - sent);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return { latencies, failures, failureMessages, wallMs: performance.now() - started };
}
