import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '@radiata/observability';

export interface Listening {
  readonly port: number;
  readonly url: string;
}

/** Listens on `host` (loopback unless told otherwise: HOST=0.0.0.0 in containers). */
export function listen(server: Server, port: number, host = '127.0.0.1'): Promise<Listening> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
      resolve({ port: address.port, url: `http://${shownHost}:${address.port}` });
    });
  });
}

/**
 * Graceful shutdown on SIGTERM/SIGINT: `stop` drains in-flight requests and closes
 * connections; if it hangs past the grace period the process exits anyway.
 */
export function stopOnSignals(stop: () => Promise<void>, logger: Logger, graceMs = 15_000): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.error('graceful shutdown timed out; exiting');
      process.exit(1);
    }, graceMs);
    force.unref();
    stop().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'error during shutdown');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}
