import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { repoRoot } from './paths.js';

export interface Child {
  readonly name: string;
  readonly process: ChildProcess;
  /** Settles when the process has exited (never rejects). */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  running: boolean;
}

export interface StartOptions {
  readonly env: NodeJS.ProcessEnv;
  /** The colored, padded name that starts every line of the child's output. */
  readonly prefix: string;
}

/**
 * Starts a long-running child whose output lines are printed with `prefix`. Each child leads its
 * own process group, so a terminal's Ctrl-C reaches only this script, which stops the children
 * in order, and a last-resort SIGKILL also reaches the grandchild that tsx runs.
 */
export function startChild(name: string, command: string, args: readonly string[], options: StartOptions): Child {
  const child = spawn(command, args, {
    cwd: repoRoot,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY }).on('line', (line) => {
      process.stdout.write(`${options.prefix} │ ${line}\n`);
    });
  }
  const handle: Child = {
    name,
    process: child,
    running: true,
    exited: new Promise((resolve) => {
      child.once('error', (error) => {
        process.stdout.write(`${options.prefix} │ failed to start: ${error.message}\n`);
        handle.running = false;
        resolve({ code: 1, signal: null });
      });
      // 'close' rather than 'exit': the child's last output lines have been printed by then.
      child.once('close', (code, signal) => {
        handle.running = false;
        killGroup(child, 'SIGKILL'); // anything the child left behind in its group
        resolve({ code, signal });
      });
    }),
  };
  return handle;
}

/** SIGTERM to each running child (tsx passes it on to the service), SIGKILL to its group after `graceMs`. */
export async function stopChildren(children: readonly Child[], graceMs = 10_000): Promise<void> {
  await Promise.all(
    children.map(async (child) => {
      if (!child.running) return;
      child.process.kill('SIGTERM');
      const timer = setTimeout(() => {
        console.log(`${child.name} did not stop within ${graceMs / 1000} s: killing it`);
        killGroup(child.process, 'SIGKILL');
      }, graceMs);
      await child.exited;
      clearTimeout(timer);
    }),
  );
}

/** Signals the child's whole process group (tsx and the service it runs). */
export function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // the group is already gone
  }
}

/** Resolves when `url` answers 2xx; rejects when `child` exits first or after `timeoutMs`. */
export async function waitForHealthy(url: string, child: Child, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void child.exited.then(() => {
    exited = true;
  });
  for (;;) {
    if (exited || !child.running) throw new Error(`${child.name} exited before ${url} answered`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
