import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { graphRoot } from './subgraph.js';

export interface SubgraphProcess {
  /** The process's GraphQL URL (PORT=0 picks a free port: read from its ready line). */
  readonly url: string;
  readonly child: ChildProcess;
  /** Settles when the process is gone, with how it ended. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The last lines it wrote (for a failure's message). */
  output(): string;
  /** SIGKILL: no shutdown hook runs, nothing in flight commits. Resolves once the process is gone. */
  kill(): Promise<void>;
}

/**
 * A subgraph as the OS process production runs: node with tsx as an import hook (not tsx's CLI,
 * whose child would outlive a SIGKILL) on `subgraphs/<name>/src/main.ts`, configured by `env` on
 * top of this process's environment. Resolves once it logs "<name> subgraph ready"; rejects with
 * its output if it exits before.
 */
export async function spawnSubgraphProcess(
  name: string,
  env: Readonly<Record<string, string>>,
): Promise<SubgraphProcess> {
  const child = spawn(
    process.execPath,
    ['--conditions=radiata-source', '--import', 'tsx', path.join('subgraphs', name, 'src', 'main.ts')],
    {
      cwd: graphRoot(),
      env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'info', PORT: '0', METRICS_PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const exited = once(child, 'exit').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
  }));
  let output = '';
  let partial = '';
  const keep = (text: string) => {
    output = (output + text).slice(-20_000);
  };
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr?.on('data', (chunk: Buffer) => keep(chunk.toString('utf8')));
    child.stdout?.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      keep(text);
      const lines = (partial + text).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        const entry = parsedLine(line);
        if (entry?.msg === `${name} subgraph ready` && typeof entry.url === 'string') resolve(entry.url);
      }
    });
    child.once('error', reject);
    void exited.then(({ code, signal }) =>
      reject(new Error(`${name} exited (${code ?? signal}) before it was ready:\n${output}`)),
    );
  });
  return {
    url,
    child,
    exited,
    output: () => output,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

function parsedLine(line: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
