import { randomBytes } from 'node:crypto';

export interface TestSecrets {
  readonly JWT_SECRET: string;
  readonly GATEWAY_CONTEXT_SECRET: string;
}

/** Fresh secrets per test run: nothing secret is ever committed, not even for tests. */
export const testSecrets = (): TestSecrets => ({
  JWT_SECRET: randomBytes(48).toString('base64url'),
  GATEWAY_CONTEXT_SECRET: randomBytes(48).toString('base64url'),
});
