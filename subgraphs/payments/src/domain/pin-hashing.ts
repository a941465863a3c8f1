import { type Algorithm, hash, verify } from '@node-rs/argon2';

// OWASP's argon2id baseline: 19 MiB, 2 iterations, 1 lane. A 6-digit PIN has only a million
// values, so the hash alone cannot protect it from someone holding the table: the lockout does.
// Algorithm is an ambient const enum, which isolatedModules cannot read: 2 is Argon2id.
const ARGON2ID = 2 as Algorithm;
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const PIN_PATTERN = /^\d{6}$/;

export const hashPin = (pin: string): Promise<string> => hash(pin, OPTIONS);

let dummyHash: Promise<string> | undefined;

/**
 * Whether `pin` matches `stored`; with no stored hash (no wallet) it spends the same work on a
 * dummy hash, so the time taken does not tell whether the wallet exists.
 */
export async function pinMatches(stored: string | undefined, pin: string): Promise<boolean> {
  if (stored === undefined) {
    dummyHash ??= hashPin('000000');
    await verify(await dummyHash, `${pin}-no-wallet`);
    return false;
  }
  return verify(stored, pin);
}
