import { createServer, type Server } from 'node:http';
import express from 'express';
import { listen } from './lifecycle.js';
import { type SecurityHeaderOptions, securityHeaders } from './security-headers.js';

export interface MetricsServerOptions extends SecurityHeaderOptions {
  /** 0: an ephemeral port (tests). */
  readonly port: number;
  /** Default 127.0.0.1. */
  readonly host?: string;
}

/** What the server exposes: a process's registry, or a cluster primary's aggregate of its workers'. */
export interface MetricsSource {
  readonly registry: { readonly contentType: string; metrics(): Promise<string> };
}

export interface MetricsServer {
  /** Where Prometheus scrapes: `http://<host>:<port>/metrics`. */
  readonly url: string;
  readonly port: number;
  readonly httpServer: Server;
  close(): Promise<void>;
}

/**
 * Prometheus metrics on a port of their own, which only the monitoring network reaches: the
 * client-facing port never serves them (they describe the process and its traffic).
 */
export async function serveMetrics(metrics: MetricsSource, options: MetricsServerOptions): Promise<MetricsServer> {
  const app = express();
  app.disable('x-powered-by');
  app.use(securityHeaders(options));
  app.get('/metrics', async (_req, res) => {
    res.set('Content-Type', metrics.registry.contentType);
    res.send(await metrics.registry.metrics());
  });
  app.use((_req, res) => {
    res.status(404).json({ error: 'Not found: metrics are at /metrics' });
  });
  const httpServer = createServer(app);
  const { port, url } = await listen(httpServer, options.port, options.host);
  let closed: Promise<void> | undefined;
  return {
    url: `${url}/metrics`,
    port,
    httpServer,
    close: () => {
      closed ??= new Promise<void>((resolve, reject) => {
        httpServer.close((error) => (error ? reject(error) : resolve()));
        // A scrape's keep-alive socket must not hold the process's stop.
        httpServer.closeAllConnections();
      });
      return closed;
    },
  };
}
