// The provider fake as a separate process, for tests and benchmarks that must not share a process
// with it: `spawnProviderFake()` starts `src/main.ts` on a free port and hands back a client of its
// control endpoints.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { Checkout, Ledger } from './provider.js';
import type { ProviderFakeSwitches } from './switches.js';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const mainScript = fileURLToPath(new URL('./main.ts', import.meta.url));

export interface SpawnedProviderFake {
  readonly url: string;
  readonly secretKey: string;
  readonly process: ChildProcess;
  /** `POST /v1/checkouts`: what the browser widget does before the shopper pays. */
  openCheckout(orderId: string, amount: number): Promise<Checkout>;
  setSwitches(switches: Partial<ProviderFakeSwitches>): Promise<ProviderFakeSwitches>;
  ledger(): Promise<Ledger>;
  reset(): Promise<void>;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>;
}

async function call<T>(url: string, method: string, body?: unknown): Promise<T> {
  const response = await fetch(url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${text}`);
  return (text === '' ? undefined : JSON.parse(text)) as T;
}

/**
 * Starts the fake as a child process (`node --conditions=radiata-source --import tsx src/main.ts`)
 * on a free port of 127.0.0.1 and resolves once it is ready.
 */
export async function spawnProviderFake(options: { secretKey: string }): Promise<SpawnedProviderFake> {
  const child = spawn(process.execPath, ['--conditions=radiata-source', '--import', 'tsx', mainScript], {
    cwd: repoRoot,
    env: {
      ...process.env,
      PROVIDER_SECRET_KEY: options.secretKey,
      PROVIDER_FAKE_PORT: '0',
      PROVIDER_FAKE_HOST: '127.0.0.1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = once(child, 'exit');
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const ready = new Promise<{ url: string }>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      const newline = stdout.indexOf('\n');
      if (newline >= 0) resolve(JSON.parse(stdout.slice(0, newline)) as { url: string });
    });
    exited.then(() => reject(new Error(`the provider fake exited before it was ready: ${stderr}`)));
  });
  const { url } = await ready;
  return {
    url,
    secretKey: options.secretKey,
    process: child,
    openCheckout: (orderId, amount) => call<Checkout>(`${url}/v1/checkouts`, 'POST', { orderId, amount }),
    setSwitches: (switches) => call<ProviderFakeSwitches>(`${url}/__fake/switches`, 'POST', switches),
    ledger: () => call<Ledger>(`${url}/__fake/ledger`, 'GET'),
    reset: () => call<void>(`${url}/__fake/reset`, 'POST'),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}
