/**
 * Splits `total` whole won over the keys in proportion to their weights, summing exactly to it
 * (largest remainders: each key gets the floor of its exact share, the won left over go one each
 * to the largest remainders, ties to the smaller key). Exact integer arithmetic: no float drift.
 * All weights 0: the total goes to the smallest key. Every key of `weights` is in the result.
 */
export function apportion(total: number, weights: Readonly<Record<string, number>>): Record<string, number> {
  if (!Number.isSafeInteger(total) || total < 0) throw new RangeError(`total must be a whole amount ≥ 0: ${total}`);
  const keys = Object.keys(weights).sort();
  if (keys.length === 0) {
    if (total === 0) return {};
    throw new RangeError('nothing to apportion over');
  }
  for (const key of keys) {
    const weight = weights[key] ?? 0;
    if (!Number.isSafeInteger(weight) || weight < 0)
      throw new RangeError(`weight of ${key} must be a whole number ≥ 0`);
  }
  const whole = keys.reduce((sum, key) => sum + BigInt(weights[key] ?? 0), 0n);
  if (whole === 0n) return Object.fromEntries(keys.map((key, index) => [key, index === 0 ? total : 0]));
  const shares = keys.map((key) => {
    const exact = BigInt(weights[key] ?? 0) * BigInt(total);
    return { key, won: Number(exact / whole), remainder: exact % whole };
  });
  let left = total - shares.reduce((sum, share) => sum + share.won, 0);
  const byRemainder = [...shares].sort((a, b) =>
    a.remainder === b.remainder ? (a.key < b.key ? -1 : 1) : a.remainder > b.remainder ? -1 : 1,
  );
  for (const share of byRemainder) {
    if (left === 0) break;
    share.won += 1;
    left -= 1;
  }
  return Object.fromEntries(shares.map((share) => [share.key, share.won]));
}
