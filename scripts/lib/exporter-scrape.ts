import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';

/** A TCP port nothing listens on right now. */
async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/**
 * Starts an exporter (`args(port)` makes it listen on 127.0.0.1:<port>), reads its /metrics once
 * it answers, and stops it. Rejects with the exporter's output if it never answers in `timeoutMs`.
 */
export async function scrapeExporter(
  program: string,
  args: (port: number) => readonly string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 15_000,
): Promise<string> {
  const port = await freePort();
  const child = spawn(program, [...args(port)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  let failure: Error | undefined;
  child.once('error', (error) => {
    failure = error;
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (failure) throw new Error(`${program} could not start: ${failure.message}`);
      if (child.exitCode !== null) throw new Error(`${program} exited (${child.exitCode}): ${output}`);
      const response = await fetch(`http://127.0.0.1:${port}/metrics`).catch(() => undefined);
      if (response?.ok) return await response.text();
      if (Date.now() > deadline) throw new Error(`${program} did not serve /metrics within ${timeoutMs} ms: ${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    if (child.exitCode === null && !failure) {
      child.kill('SIGTERM');
      await exited;
    }
  }
}

/** The metric names of the samples in a Prometheus text exposition. */
export function sampleNames(exposition: string): Set<string> {
  return new Set(
    exposition
      .split('\n')
      .filter((line) => line && !line.startsWith('#'))
      .flatMap((line) => /^[a-zA-Z_:][\w:]*/.exec(line)?.[0] ?? []),
  );
}

/** The value of one sample without labels (`pg_up 1`), if the exposition has it. */
export function sampleValue(exposition: string, name: string): number | undefined {
  const line = exposition.split('\n').find((text) => text.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1).split(' ')[0]);
}
