// GATEWAY_WORKERS: the gateway as the OS process a deployment runs, a primary and its workers on
// one port, against a real test graph. A worker killed with SIGKILL is replaced while the other
// serves; the primary serves the workers' metrics summed; SIGTERM stops them all.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { graphRoot } from '@radiata/testing';
import { SUBGRAPHS, startTestGraph, type TestGraph } from './support/graph.js';

/** Starting processes (tsx compiling the gateway) can take a while on two busy cores. */
const TIMEOUT_MS = 180_000;

let graph: TestGraph;
let primary: ChildProcess;
let output = '';
const ready: { url?: string; metricsUrl?: string } = {};

beforeAll(async () => {
  graph = await startTestGraph();
  const subgraphUrls = Object.fromEntries(
    (Object.keys(SUBGRAPHS) as (keyof typeof SUBGRAPHS)[]).map((name) => [
      `SUBGRAPH_${name.toUpperCase()}_URL`,
      graph[name].subgraph.url,
    ]),
  );
  primary = spawn(process.execPath, ['--conditions=radiata-source', '--import', 'tsx', 'gateway/src/main.ts'], {
    cwd: graphRoot(),
    env: {
      ...process.env,
      ...graph.secrets,
      ...subgraphUrls,
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      SANDBOX: 'false',
      PORT: '0',
      METRICS_PORT: '0',
      REDIS_KEY_PREFIX: graph.users.namespace.redisKeyPrefix,
      GATEWAY_WORKERS: '2',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  primary.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  await new Promise<void>((resolve, reject) => {
    let partial = '';
    primary.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        const entry = parsed(line);
        if (entry?.msg === 'gateway ready') {
          ready.url = entry.url as string;
          ready.metricsUrl = entry.metricsUrl as string;
          resolve();
        }
      }
    });
    primary.once('exit', (code) => reject(new Error(`the gateway exited (${code}) before it was ready:\n${output}`)));
  });
}, TIMEOUT_MS);

afterAll(async () => {
  if (primary && primary.exitCode === null && primary.signalCode === null) {
    primary.kill('SIGKILL');
    for (const pid of workersOf(primary.pid as number)) process.kill(pid, 'SIGKILL');
  }
  await graph?.stop();
});

function parsed(line: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** The primary's child processes (its workers), from /proc. */
function workersOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** One query on a connection of its own (no keep-alive), so that connections are spread over the workers. */
function brands(): Promise<number> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ query: '{ brands(first: 1) { edges { node { id } } } }' });
    const request = httpRequest(
      ready.url as string,
      {
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        timeout: 30_000,
      },
      (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => {
          text += chunk.toString('utf8');
        });
        response.on('end', () => {
          const answer = JSON.parse(text) as { data?: unknown; errors?: unknown };
          resolve(answer.errors === undefined && answer.data !== undefined ? (response.statusCode ?? 0) : -1);
        });
      },
    );
    request.on('timeout', () => request.destroy(new Error('no answer in 30 s')));
    request.on('error', reject);
    request.end(body);
  });
}

/** The summed count of `query.brands` operations the primary's /metrics reports. */
async function brandsServed(): Promise<number> {
  const exposition = await (await fetch(ready.metricsUrl as string)).text();
  return exposition
    .split('\n')
    .filter(
      (line) =>
        line.startsWith('graphql_operation_duration_seconds_count{') && line.includes('operation="query.brands"'),
    )
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}

it(
  'serves one port from two workers, replaces a worker killed with SIGKILL, and sums their metrics',
  async () => {
    const first = workersOf(primary.pid as number);
    expect(first).toHaveLength(2);
    const answers = await Promise.all(Array.from({ length: 20 }, () => brands()));
    expect(answers).toEqual(Array(20).fill(200));
    expect(await brandsServed()).toBe(20);

    // One worker dies: the other keeps serving, and the primary forks a replacement.
    process.kill(first[0] as number, 'SIGKILL');
    // (a connection the primary hands over in the instant before it learns of the death is lost)
    for (let waited = 0; !output.includes('a gateway worker died: starting another'); waited += 100) {
      if (waited > 60_000) throw new Error(`the primary did not notice the death:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    for (let i = 0; i < 10; i++) expect(await brands()).toBe(200);
    let now: number[] = [];
    for (let waited = 0; waited < 60_000; waited += 200) {
      now = workersOf(primary.pid as number);
      if (now.length === 2 && !now.includes(first[0] as number)) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(now).toHaveLength(2);
    expect(now).toContain(first[1]);
    expect(now).not.toContain(first[0]);

    // SIGTERM: the workers stop gracefully, then the primary exits 0.
    const exited = once(primary, 'exit');
    primary.kill('SIGTERM');
    const [code] = (await exited) as [number | null];
    expect(code).toBe(0);
    for (const pid of now) expect(() => process.kill(pid, 0)).toThrow();
  },
  TIMEOUT_MS,
);
