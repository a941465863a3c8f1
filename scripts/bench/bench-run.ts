import path from 'node:path';
import { createTestDatabase, type TestDatabase } from '@radiata/testing';
import { color, errorMessage } from '../lib/log.js';
import { repoRoot } from '../lib/paths.js';
import type { ServiceProcess } from './service-processes.js';

/**
 * What a benchmark run holds and must give back, whatever way it ends: every resource registers
 * how to release it, and releases run in reverse order, once; Ctrl-C or SIGTERM stops the load
 * (`onInterrupt`), then cleans up and exits 130; no service process outlives the run.
 */
export interface BenchRun {
  /** Registers how to release a resource (a database, a queue, a service, a client). */
  release(what: string, release: () => Promise<void>): void;
  /** A setup step that may still create a resource: cleanup waits for it first. */
  pending(step: Promise<unknown>): void;
  /** Services to kill synchronously if the process exits any other way. */
  readonly services: ServiceProcess[];
  /** Hand to startServiceProcess: a service exiting on its own voids the run. */
  readonly serviceFailed: (error: Error) => void;
  /** Rejects when a service exits on its own; race the run against it. */
  readonly serviceFailure: Promise<never>;
  readonly interrupted: boolean;
  cleanup(): Promise<void>;
}

export function startBenchRun(options: { onInterrupt?: () => void } = {}): BenchRun {
  const releases: { what: string; release: () => Promise<void> }[] = [];
  const pending: Promise<unknown>[] = [];
  const services: ServiceProcess[] = [];
  let cleaning: Promise<void> | undefined;
  let interrupted = false;
  let serviceFailed: (error: Error) => void = () => {};
  const serviceFailure = new Promise<never>((_, reject) => {
    serviceFailed = reject;
  });
  // Only raced, never awaited alone: an unobserved rejection must not end the process.
  serviceFailure.catch(() => {});

  const cleanup = (): Promise<void> => {
    cleaning ??= (async () => {
      await Promise.allSettled(pending);
      for (const { what, release } of releases.reverse()) {
        try {
          await release();
        } catch (error) {
          console.error(color.yellow(`cleanup: ${what}: ${errorMessage(error)}`));
        }
      }
    })();
    return cleaning;
  };
  process.on('exit', () => {
    for (const service of services) if (service.running()) service.kill();
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (interrupted) return;
      interrupted = true;
      console.error(color.yellow(`\n${signal}: stopping the load and the services, dropping the databases…`));
      options.onInterrupt?.();
      void cleanup().finally(() => process.exit(130));
    });
  }
  return {
    release: (what, release) => {
      releases.push({ what, release });
    },
    pending: (step) => {
      pending.push(step);
    },
    services,
    serviceFailed: (error) => serviceFailed(error),
    serviceFailure,
    get interrupted() {
      return interrupted;
    },
    cleanup,
  };
}

/**
 * A fresh database per subgraph, migrated from its own SQL and dropped when the run ends
 * (whatever way): the accessor returns the database of a subgraph the run created.
 */
export async function freshDatabases(
  bench: BenchRun,
  subgraphs: readonly string[],
): Promise<(subgraph: string) => TestDatabase> {
  const creating = Promise.all(
    subgraphs.map((subgraph) =>
      createTestDatabase(subgraph, path.join(repoRoot, 'subgraphs', subgraph, 'db', 'migrations')).then((database) => {
        bench.release(`drop ${database.name}`, database.drop);
        return [subgraph, database] as const;
      }),
    ),
  );
  bench.pending(creating);
  const databases = new Map(await creating);
  return (subgraph) => {
    const database = databases.get(subgraph);
    if (!database) throw new Error(`no bench database for ${subgraph}`);
    return database;
  };
}
