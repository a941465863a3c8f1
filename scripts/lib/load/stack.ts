// `--with-stack` (CI): the whole stack as `npm start` runs it (lib/../dev.ts --no-watch: services
// checked, databases migrated, every subgraph, the provider fake and the gateway), for the length
// of one load run; its output goes to a file, shown only when it fails.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { bin, repoRoot } from '../paths.js';
import type { GatewayClient } from './gateway-client.js';

const START_TIMEOUT_MS = 240_000;
const STOP_GRACE_MS = 30_000;

export interface RunningStack {
  stop(): Promise<void>;
}

export async function startStack(gateway: GatewayClient, logFile: string): Promise<RunningStack> {
  if (await gateway.ready()) {
    throw new Error(
      `a gateway already answers at ${gateway.url}: stop that stack, or run without --with-stack to use it`,
    );
  }
  const output = openSync(logFile, 'a');
  const child = spawn(bin('tsx'), ['scripts/dev.ts', '--no-watch'], {
    cwd: repoRoot,
    env: process.env,
    stdio: ['ignore', output, output],
    detached: true,
  });
  closeSync(output);
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  let running = true;
  void exited.then(() => {
    running = false;
  });
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  process.once('exit', () => killGroup('SIGKILL'));
  const tail = () => readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n');

  // SIGTERM first: dev.ts stops the services, each a process group of its own, which a SIGKILL
  // of its group would leave running.
  const stop = async () => {
    if (!running) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => killGroup('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
    killGroup('SIGKILL');
  };
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!(await gateway.ready())) {
    if (!running) throw new Error(`the stack exited while starting; its last lines:\n${tail()}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the stack was not ready within ${START_TIMEOUT_MS / 1000} s; its last lines:\n${tail()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  return { stop };
}
