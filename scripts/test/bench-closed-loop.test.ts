import { closedLoop } from '../bench/closed-loop.js';
import { median, quantile } from '../bench/stats.js';

describe('closedLoop', () => {
  it('runs every operation once, never more than `concurrency` at a time', async () => {
    const seen: number[] = [];
    let inFlight = 0;
    let most = 0;
    const result = await closedLoop(50, 7, async (index) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      seen.push(index);
      inFlight -= 1;
    });
    expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, index) => index));
    expect(most).toBe(7);
    expect(result.latencies).toHaveLength(50);
    expect(result.failures).toBe(0);
  });

  it('counts the operations that throw and keeps their first messages', async () => {
    const result = await closedLoop(20, 3, async (index) => {
      if (index % 4 === 0) throw new Error(`wrong answer ${index}`);
    });
    expect(result.failures).toBe(5);
    expect(result.latencies).toHaveLength(20);
    expect([...result.failureMessages].sort()).toEqual(
      ['wrong answer 0', 'wrong answer 12', 'wrong answer 16', 'wrong answer 4', 'wrong answer 8'].sort(),
    );
  });

  it('takes no new operation once stopped', async () => {
    let started = 0;
    const result = await closedLoop(
      100,
      2,
      async () => {
        started += 1;
      },
      () => started >= 10,
    );
    expect(started).toBe(10);
    expect(result.latencies).toHaveLength(10);
  });
});

describe('median and quantile', () => {
  it('take the middle of odd and even counts and the rank ⌊q·n⌋ of sorted values', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
    const sorted = Array.from({ length: 100 }, (_, index) => index + 1);
    expect(quantile(sorted, 0.5)).toBe(51);
    expect(quantile(sorted, 0.99)).toBe(100);
    expect(quantile([], 0.5)).toBeNaN();
  });
});
