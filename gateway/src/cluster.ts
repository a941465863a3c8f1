import cluster, { type Worker } from 'node:cluster';
import type { Logger } from '@radiata/observability';
import { type MetricsServer, serveMetrics, stopOnSignals } from '@radiata/service-runtime';
import { AggregatorRegistry } from 'prom-client';
import type { GatewayConfig } from './config.js';

/** What a worker tells the primary once it serves PORT. */
interface WorkerReady {
  readonly type: 'radiata:gateway-worker-ready';
  readonly url: string;
}

const isWorkerReady = (message: unknown): message is WorkerReady =>
  typeof message === 'object' &&
  message !== null &&
  (message as { type?: unknown }).type === 'radiata:gateway-worker-ready' &&
  typeof (message as { url?: unknown }).url === 'string';

/** Tells the primary this worker is serving (a no-op outside a cluster). */
export function reportWorkerReady(url: string): void {
  const ready: WorkerReady = { type: 'radiata:gateway-worker-ready', url };
  process.send?.(ready);
}

/** A worker that dies is forked again after this wait; more than RESTARTS_PER_MINUTE deaths a minute stop the gateway. */
const RESTART_DELAY_MS = 1_000;
const RESTARTS_PER_MINUTE = 10;

/**
 * The primary of GATEWAY_WORKERS gateway processes sharing PORT (Node cluster; the primary
 * accepts connections and hands them round-robin to the workers). It forks them, forks again
 * one that dies (a crash loop stops the gateway instead), serves their metrics summed on
 * METRICS_PORT (prom-client's AggregatorRegistry), logs "gateway ready" once all of them serve,
 * and on SIGTERM/SIGINT stops them gracefully before it exits.
 */
export async function runGatewayPrimary(config: GatewayConfig, logger: Logger): Promise<void> {
  const log = logger.child({ component: 'cluster' });
  const aggregator = new AggregatorRegistry();
  const metricsServer: MetricsServer = await serveMetrics(
    {
      registry: {
        contentType: aggregator.contentType,
        metrics: () =>
          aggregator.clusterMetrics().catch((error: unknown) => {
            log.warn({ err: error }, "the workers' metrics could not be collected");
            throw error;
          }),
      },
    },
    { port: config.METRICS_PORT, host: config.HOST, hsts: config.HSTS },
  );
  let stopping = false;
  const deaths: number[] = [];
  const ready = new Set<number>();
  let announced = false;

  const fork = (): Worker => {
    const worker = cluster.fork();
    worker.on('message', (message: unknown) => {
      if (!isWorkerReady(message)) return;
      ready.add(worker.id);
      if (!announced && ready.size >= config.GATEWAY_WORKERS) {
        announced = true;
        log.info({ url: message.url, metricsUrl: metricsServer.url, workers: config.GATEWAY_WORKERS }, 'gateway ready');
      }
    });
    return worker;
  };

  cluster.on('exit', (worker, code, signal) => {
    ready.delete(worker.id);
    if (stopping) return;
    const now = Date.now();
    deaths.push(now);
    while ((deaths[0] ?? now) < now - 60_000) deaths.shift();
    if (deaths.length > RESTARTS_PER_MINUTE) {
      log.fatal({ deaths: deaths.length }, 'gateway workers keep dying: stopping the gateway');
      process.kill(process.pid, 'SIGTERM');
      return;
    }
    log.error({ pid: worker.process.pid, code, signal }, 'a gateway worker died: starting another');
    setTimeout(() => {
      if (!stopping) fork();
    }, RESTART_DELAY_MS).unref();
  });

  for (let index = 0; index < config.GATEWAY_WORKERS; index++) fork();

  stopOnSignals(
    async () => {
      stopping = true;
      const workers = Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => worker !== undefined);
      await Promise.all(
        workers.map(
          (worker) =>
            new Promise<void>((resolve) => {
              if (worker.isDead()) return resolve();
              worker.once('exit', () => resolve());
              worker.process.kill('SIGTERM');
            }),
        ),
      );
      await metricsServer.close();
    },
    logger,
    20_000,
  );
}
