/**
 * Per-user sliding-window limit, in process memory: a shopper hammering the claim button is
 * turned away before any Redis work. Each replica counts on its own, so the effective limit
 * is the per-replica limit times the replicas a user's requests reach.
 */
export class ClaimRateLimiter {
  private readonly hits = new Map<string, number[]>();
  private sweeps = 0;

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** 0 when allowed (and counted), else how many ms until the next claim would be. */
  take(userId: string, nowMs: number): number {
    const since = nowMs - this.windowMs;
    const recent = (this.hits.get(userId) ?? []).filter((at) => at > since);
    if (recent.length >= this.limit) {
      this.hits.set(userId, recent);
      return Math.max(1, (recent[0] as number) + this.windowMs - nowMs);
    }
    recent.push(nowMs);
    this.hits.set(userId, recent);
    if (++this.sweeps % 10_000 === 0) this.sweep(since);
    return 0;
  }

  /** Forgets users with no recent claims, so memory follows the active shoppers. */
  private sweep(since: number): void {
    for (const [userId, times] of this.hits) if ((times.at(-1) ?? 0) <= since) this.hits.delete(userId);
  }
}
