// `--with-stack` (CI): the whole stack as `npm start` runs it (dev.ts --no-watch: services
// checked, databases migrated, every subgraph, the provider fake and the gateway), for the length
// of one load run; its output goes to a file, shown only when it fails.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { errorMessage } from '../log.js';
import { bin, repoRoot } from '../paths.js';
import { type Child, killGroup, stopChildren, waitForHealthy } from '../processes.js';
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
  const process_ = spawn(bin('tsx'), ['scripts/dev.ts', '--no-watch'], {
    cwd: repoRoot,
    env: process.env,
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
  const stop = () => stopChildren([stack], STOP_GRACE_MS);
  try {
    await waitForHealthy(new URL('/readyz', gateway.url).toString(), stack, START_TIMEOUT_MS);
  } catch (error) {
    await stop();
    const tail = readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n');
    throw new Error(`${errorMessage(error)}; the stack's last lines:\n${tail}`);
  }
  return { stop };
}
