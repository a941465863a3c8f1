// The provider fake as a process of its own: configuration from the environment, one JSON line
// when ready, a clean stop on SIGTERM/SIGINT. The secret key is never logged.
import { startProviderFake } from './server.js';

function log(level: 'info' | 'error', msg: string, fields: Record<string, unknown> = {}): void {
  const line = JSON.stringify({
    level: level === 'info' ? 30 : 50,
    time: new Date().toISOString(),
    service: 'provider-fake',
    ...fields,
    msg,
  });
  (level === 'info' ? process.stdout : process.stderr).write(`${line}\n`);
}

function fail(message: string): never {
  log('error', message);
  process.exit(1);
}

function wholeNumber(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    fail(`provider fake: ${name} must be a whole number from ${min} to ${max}`);
  }
  return value;
}

const secretKey = process.env.PROVIDER_SECRET_KEY;
if (!secretKey) {
  fail(
    'provider fake: PROVIDER_SECRET_KEY is required (the secret key clients send as HTTP Basic auth, e.g. test_sk_…)',
  );
}
if (secretKey.includes(':')) fail('provider fake: PROVIDER_SECRET_KEY must not contain ":"');

const fake = await startProviderFake({
  secretKey,
  port: wholeNumber('PROVIDER_FAKE_PORT', 4010, 0, 65_535),
  host: process.env.PROVIDER_FAKE_HOST || '127.0.0.1',
  checkoutTtlMs: wholeNumber('PROVIDER_FAKE_CHECKOUT_TTL_MS', 10 * 60 * 1000, 1, Number.MAX_SAFE_INTEGER),
}).catch((error: unknown) => fail(`provider fake: cannot start: ${error instanceof Error ? error.message : error}`));
log('info', 'provider fake ready', { url: fake.url, port: fake.port });

let stopping = false;
const stop = (signal: NodeJS.Signals): void => {
  if (stopping) return;
  stopping = true;
  log('info', 'shutting down', { signal });
  fake.stop().then(
    () => {
      log('info', 'stopped');
      process.exit(0);
    },
    (error: unknown) => fail(`provider fake: error during shutdown: ${error instanceof Error ? error.message : error}`),
  );
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
