// The whole stack as `npm start` runs it (dev.ts --no-watch: services checked, databases migrated,
// every subgraph, the provider fake, MailDev, the gateway and the storefront's dev server), for the
// length of one run of a script that needs it: the load runner's `--with-stack` (CI) and
// `npm run test:web`. Its output goes to a file, shown only when it fails to start.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { errorMessage } from './log.js';
import { bin, repoRoot } from './paths.js';
import { type Child, killGroup, stopChildren, waitForHealthy } from './processes.js';

const START_TIMEOUT_MS = 240_000;
const STOP_GRACE_MS = 30_000;

export interface StackOptions {
  /** The gateway's base URL (`http://localhost:4000`): its /readyz says when the stack is up. */
  readonly gatewayUrl: string;
  /** Where the stack's output goes (appended). */
  readonly logFile: string;
  /** Variables for dev.ts on top of this process's environment (CORS_ORIGINS, say). */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Told the stack as soon as it is started, before it is ready: a caller interrupted meanwhile
   * (Ctrl-C) stops it there (the wait then fails).
   */
  readonly onStarted?: (stack: RunningStack) => void;
}

export interface RunningStack {
  /** SIGTERM to dev.ts (it stops every service, each a process group of its own); idempotent. */
  stop(): Promise<void>;
}

export async function startStack(options: StackOptions): Promise<RunningStack> {
  const { gatewayUrl, logFile } = options;
  if (await answers(new URL('/readyz', gatewayUrl))) {
    throw new Error(`a gateway already answers at ${gatewayUrl}: stop that stack first (its ports are needed)`);
  }
  const { hostname, port } = new URL(gatewayUrl);
  if (await listening(hostname, Number(port || 80))) {
    throw new Error(`port ${port} (the gateway's) is taken by another process: stop it first`);
  }
  const output = openSync(logFile, 'a');
  const process_ = spawn(bin('tsx'), ['scripts/dev.ts', '--no-watch'], {
    cwd: repoRoot,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', output, output],
    detached: true,
  });
  closeSync(output);
  const stack: Child = {
    name: 'the stack',
    process: process_,
    running: true,
    exited: new Promise((resolve) =>
      process_.once('close', (code, signal) => {
        stack.running = false;
        resolve({ code, signal });
      }),
    ),
  };
  process.once('exit', () => killGroup(process_, 'SIGKILL'));
  // SIGTERM first: dev.ts stops the services, each a process group of its own, which a SIGKILL
  // of its group alone would leave running.
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= stopChildren([stack], STOP_GRACE_MS);
    return stopped;
  };
  options.onStarted?.({ stop });
  try {
    await waitForHealthy(new URL('/readyz', gatewayUrl).toString(), stack, START_TIMEOUT_MS);
  } catch (error) {
    await stop();
    const tail = readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n');
    throw new Error(`${errorMessage(error)}; the stack's last lines:\n${tail}`);
  }
  return { stop };
}

async function answers(url: URL): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(3000) })).ok;
  } catch {
    return false;
  }
}

/** Whether something accepts TCP connections on host:port. */
function listening(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: host === 'localhost' ? '127.0.0.1' : host, port });
    socket.setTimeout(2000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}
