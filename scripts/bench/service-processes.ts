// The services under benchmark as separate OS processes, each started the way `npm run dev` and a
// source deployment run it, `node node_modules/.bin/tsx --conditions=radiata-source <dir>/src/main.ts`
// (tsx's CLI, which runs the service in a child node process and relays signals to it), and
// configured only through environment variables. Their output is held back and printed
// (prefixed) only when one fails: exits on its own, never becomes healthy, or does not stop
// cleanly.

import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { color } from '../lib/log.js';
import { repoRoot } from '../lib/paths.js';
import type { BenchRun } from './bench-run.js';

const KEPT_LINES = 200;

export interface ServiceProcess {
  readonly name: string;
  readonly pid: number;
  /** Settles when the process has exited and its output is read (never rejects). */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  running(): boolean;
  /** Lines written to stdout and stderr so far (the last 200). */
  output(): readonly string[];
  /** The process and its descendants (tsx's CLI and the node process running the service). */
  tree(): number[];
  /** SIGTERM (the service drains and exits), SIGKILL to its process group after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL to the process group, synchronously (last resort on exit). */
  kill(): void;
}

/**
 * Starts `node node_modules/.bin/tsx --conditions=radiata-source <entry>` (`entry` relative to the
 * repository root) with exactly `env` (nothing else of this process's environment). It leads its own process group, so a terminal's Ctrl-C reaches only the benchmark, which stops
 * the load first and then the services in order. `onUnexpectedExit` is called (after the
 * output has been printed) when it exits without having been asked to.
 */
export function startServiceProcess(
  name: string,
  entry: string,
  env: Record<string, string>,
  onUnexpectedExit: (error: Error) => void,
  /** `sources`: tsx on the TypeScript sources; `built`: plain node on a compiled entry (dist/), as deployed. */
  from: 'sources' | 'built' = 'sources',
): ServiceProcess {
  const args = from === 'built' ? [entry] : ['node_modules/.bin/tsx', '--conditions=radiata-source', entry];
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const lines: string[] = [];
  for (const [stream, tag] of [
    [child.stdout, ''],
    [child.stderr, 'stderr: '],
  ] as const) {
    if (!stream) continue;
    createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY }).on('line', (line) => {
      lines.push(tag + line);
      if (lines.length > KEPT_LINES) lines.shift();
    });
  }
  let running = true;
  let stopping = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('error', (error) => {
      lines.push(`failed to start: ${error.message}`);
      running = false;
      resolve({ code: null, signal: null });
    });
    // 'close' rather than 'exit': the last output lines have been read by then.
    child.once('close', (code, signal) => {
      running = false;
      resolve({ code, signal });
    });
  });
  const killGroup = (signal: NodeJS.Signals) => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  const handle: ServiceProcess = {
    name,
    pid: child.pid ?? -1,
    exited,
    running: () => running,
    output: () => lines,
    tree: () => processTree(handle.pid),
    stop: async (graceMs = 10_000) => {
      stopping = true;
      if (!running) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => {
        console.error(color.yellow(`${name} did not stop within ${graceMs / 1000} s of SIGTERM: SIGKILL`));
        killGroup('SIGKILL');
      }, graceMs);
      const { code, signal } = await exited;
      clearTimeout(timer);
      killGroup('SIGKILL'); // anything it left behind in its group
      // Dying of the SIGTERM is a normal stop too: 143 (128 + SIGTERM) is how tsx reports it. The
      // services do: Apollo Server's own termination handler re-raises SIGTERM once it has stopped,
      // which usually ends the process before stopOnSignals' exit(0).
      if (code !== 0 && code !== 143 && signal !== 'SIGTERM') {
        printOutput(handle, `exited with ${signal ?? `code ${code}`} when stopped`);
      }
    },
    kill: () => killGroup('SIGKILL'),
  };
  void exited.then(({ code, signal }) => {
    if (stopping) return;
    const how = `exited on its own (${signal ?? `code ${code}`})`;
    printOutput(handle, how);
    onUnexpectedExit(new Error(`${name} ${how}`));
  });
  return handle;
}

/** The service's held-back output, each line prefixed with its name. */
export function printOutput(service: ServiceProcess, why: string): void {
  const lines = service.output();
  const shown = lines.length > 0 ? `; its last ${lines.length} line(s) of output:` : ' (no output)';
  console.error(color.red(`${service.name} (pid ${service.pid}) ${why}${shown}`));
  for (const line of lines) console.error(`${color.dim(`${service.name} │`)} ${line}`);
}

/** Resolves when GET `url` answers 2xx; rejects when the service exits first or after `timeoutMs`. */
export async function waitUntilAnswering(service: ServiceProcess, url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  for (;;) {
    if (!service.running()) throw new Error(`${service.name} exited before ${url} answered`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      const body = await response.text();
      if (response.ok) return;
      last = `HTTP ${response.status} ${body.slice(0, 300)}`;
    } catch (error) {
      last = (error as Error).message;
    }
    if (Date.now() > deadline) {
      printOutput(service, `did not answer ${url} within ${timeoutMs / 1000} s (${last})`);
      throw new Error(`${service.name}: ${url} did not answer 2xx within ${timeoutMs / 1000} s (${last})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * `count` distinct TCP ports that nothing listens on, chosen below the kernel's ephemeral range
 * (/proc/sys/net/ipv4/ip_local_port_range starts at 32768) so that no outgoing connection can
 * take one between this check and the service binding it.
 */
export async function freePorts(count: number, from = 20_000, to = 32_000): Promise<number[]> {
  const ports: number[] = [];
  let candidate = from + Math.floor(Math.random() * (to - from));
  for (let tries = 0; ports.length < count && tries < to - from; tries += 1) {
    candidate = candidate + 1 >= to ? from : candidate + 1;
    if (!ports.includes(candidate) && (await canBind(candidate))) ports.push(candidate);
  }
  if (ports.length < count) throw new Error(`found only ${ports.length} free port(s) in ${from}–${to}`);
  return ports;
}

/** Binding 0.0.0.0 fails when anything listens on the port, on any address (IPv4 or dual-stack). */
function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '0.0.0.0', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** `pid` and all its descendants (from the parent pid in every /proc/<pid>/stat). */
export function processTree(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  const tree = [pid];
  for (let index = 0; index < tree.length; index += 1) tree.push(...(children.get(tree[index]!) ?? []));
  return tree;
}

/** The process's command line, shortened (for the progress output). */
export function processName(pid: number): string {
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    return args.map((arg) => (arg.includes('/') ? arg.slice(arg.lastIndexOf('/') + 1) : arg)).join(' ');
  } catch {
    return '(gone)';
  }
}

/** The first process whose command name is `name` (e.g. the local redis-server), if any. */
export function findProcess(name: string): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === name) return Number(entry);
    } catch {
      // gone meanwhile
    }
  }
  return undefined;
}

/**
 * The environment every benchmarked service starts from (a service gets nothing else of the
 * caller's): production mode, warnings only, its port, an ephemeral metrics port (a running
 * `npm run dev` holds the default ones) and the run's fresh secrets. Payments gets a provider key
 * it needs to start; benchmarks that move money point it at a provider fake of their own.
 */
export function benchServiceEnv(
  port: number,
  secrets: { readonly JWT_SECRET: string; readonly GATEWAY_CONTEXT_SECRET: string },
): Record<string, string> {
  return {
    ...(process.env.PATH ? { PATH: process.env.PATH } : {}),
    ...(process.env.HOME ? { HOME: process.env.HOME } : {}),
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    PORT: String(port),
    METRICS_PORT: '0',
    JWT_SECRET: secrets.JWT_SECRET,
    GATEWAY_CONTEXT_SECRET: secrets.GATEWAY_CONTEXT_SECRET,
    PROVIDER_SECRET_KEY: 'test_sk_bench_without_a_provider',
  };
}

/**
 * The node process running the service: tsx's CLI (the service's own pid) runs it in a child
 * process of the same executable. The CLI itself when there is no such child.
 */
export function serviceNodeProcess(service: ServiceProcess): number {
  const executable = (pid: number) => {
    try {
      return readlinkSync(`/proc/${pid}/exe`);
    } catch {
      return undefined;
    }
  };
  const cli = executable(service.pid);
  return service.tree().find((pid) => pid !== service.pid && executable(pid) === cli) ?? service.pid;
}

/** RABBITMQ_URL and REDIS_URL as the caller's environment sets them (else the services' defaults apply). */
export const benchBrokerEnv = (): Record<string, string> =>
  Object.fromEntries(
    (['RABBITMQ_URL', 'REDIS_URL'] as const).flatMap((key) => (process.env[key] ? [[key, process.env[key]]] : [])),
  );

/**
 * Starts `<dir>/src/main.ts` as a service of the run: killed if the run dies, stopped when it
 * cleans up, and a failure of its own fails the run.
 */
export function launchBenchService(
  bench: Pick<BenchRun, 'release' | 'services' | 'serviceFailed'>,
  name: string,
  dir: string,
  env: Record<string, string>,
): ServiceProcess {
  return ofTheRun(bench, name, startServiceProcess(name, path.join(dir, 'src', 'main.ts'), env, bench.serviceFailed));
}

/** The same for a compiled entry (e.g. `gateway/dist/main.js`), run with plain node as deployed. */
export function launchBuiltBenchService(
  bench: Pick<BenchRun, 'release' | 'services' | 'serviceFailed'>,
  name: string,
  entry: string,
  env: Record<string, string>,
): ServiceProcess {
  return ofTheRun(bench, name, startServiceProcess(name, entry, env, bench.serviceFailed, 'built'));
}

function ofTheRun(
  bench: Pick<BenchRun, 'release' | 'services'>,
  name: string,
  service: ServiceProcess,
): ServiceProcess {
  bench.services.push(service);
  bench.release(`stop ${name}`, () => service.stop());
  return service;
}
