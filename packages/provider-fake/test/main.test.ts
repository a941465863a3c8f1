import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { basicAuth, confirmOf, TossClient } from './support/toss-client.js';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const PROCESS_SECRET = 'test_sk_process_secret_0123456789';

interface Spawned {
  readonly child: ChildProcess;
  /** Everything written so far, stdout and stderr. */
  readonly output: () => string;
  /** Everything written to stdout so far. */
  readonly stdout: () => string;
  readonly exited: Promise<[number | null, NodeJS.Signals | null]>;
}

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
});

/** `node --import tsx --conditions=radiata-source packages/provider-fake/src/main.ts`, from the repo root. */
function spawnFake(env: Record<string, string | undefined>): Spawned {
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  for (const name of [
    'PROVIDER_SECRET_KEY',
    'PROVIDER_FAKE_PORT',
    'PROVIDER_FAKE_HOST',
    'PROVIDER_FAKE_CHECKOUT_TTL_MS',
  ]) {
    delete childEnv[name];
  }
  for (const [name, value] of Object.entries(env)) if (value !== undefined) childEnv[name] = value;
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=radiata-source', 'packages/provider-fake/src/main.ts'],
    { cwd: repoRoot, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.push(child);
  let output = '';
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
    stdout += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  return { child, output: () => output, stdout: () => stdout, exited };
}

/** The first JSON line the process writes to stdout. */
async function readyLine(spawned: Spawned): Promise<Record<string, unknown>> {
  const stdout = spawned.child.stdout;
  if (!stdout) throw new Error('no stdout');
  while (!spawned.stdout().includes('\n')) {
    if (spawned.child.exitCode !== null || spawned.child.signalCode !== null)
      throw new Error(`the process ended before it was ready: ${spawned.output()}`);
    await Promise.race([once(stdout, 'data'), spawned.exited]);
  }
  return JSON.parse(spawned.stdout().slice(0, spawned.stdout().indexOf('\n')));
}

it.each(['SIGTERM', 'SIGINT'] as const)(
  'runs as a process: ready line, serves, stops with exit code 0 on %s, never shows the secret',
  async (signal) => {
    const spawned = spawnFake({ PROVIDER_SECRET_KEY: PROCESS_SECRET, PROVIDER_FAKE_PORT: '0' });

    const ready = await readyLine(spawned);
    expect(ready).toMatchObject({ level: 30, service: 'provider-fake', msg: 'provider fake ready' });
    expect(ready.url).toBe(`http://127.0.0.1:${ready.port}`);

    const toss = new TossClient(String(ready.url));
    const checkout = await toss.checkout('order-0001', 12_000);
    const confirmed = await toss.call<{ status: string }>('POST', '/v1/payments/confirm', {
      body: confirmOf(checkout),
      authorization: basicAuth(PROCESS_SECRET),
    });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.status).toBe('DONE');

    spawned.child.kill(signal);
    expect(await spawned.exited).toEqual([0, null]);
    expect(spawned.output()).toContain('"msg":"stopped"');
    expect(spawned.output()).not.toContain(PROCESS_SECRET);
  },
);

it('exits non-zero with a clear message without PROVIDER_SECRET_KEY', async () => {
  const spawned = spawnFake({ PROVIDER_FAKE_PORT: '0' });

  const [code] = await spawned.exited;

  expect(code).toBe(1);
  expect(spawned.output()).toContain('PROVIDER_SECRET_KEY is required');
});

it('exits non-zero with a clear message for a port that is not one', async () => {
  const spawned = spawnFake({ PROVIDER_SECRET_KEY: PROCESS_SECRET, PROVIDER_FAKE_PORT: 'eighty' });

  const [code] = await spawned.exited;

  expect(code).toBe(1);
  expect(spawned.output()).toContain('PROVIDER_FAKE_PORT must be a whole number from 0 to 65535');
  expect(spawned.output()).not.toContain(PROCESS_SECRET);
});
