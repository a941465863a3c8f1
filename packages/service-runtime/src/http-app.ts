import express, { type ErrorRequestHandler, type Express } from 'express';
import { type SecurityHeaderOptions, securityHeaders } from './security-headers.js';

/** A dependency the service cannot serve without (database, Redis, broker, upstream). */
export type ReadinessCheck = () => Promise<unknown>;

export interface HttpAppOptions extends SecurityHeaderOptions {
  readonly readiness: Readonly<Record<string, ReadinessCheck>>;
  readonly readinessTimeoutMs?: number;
  /**
   * Which peers may tell the client's address in X-Forwarded-For (express's `trust proxy`: a hop
   * count, or addresses, CIDR ranges and names like 'loopback'). Default: none, so `req.ip` is
   * the peer itself. Never `true`: any client could then choose the address it is limited by.
   */
  readonly trustProxy?: number | string | readonly string[] | false;
}

const withTimeout = <T>(promise: Promise<T>, ms: number): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });

/**
 * The express app every Radiata process serves clients from: security headers on every
 * response, liveness (`/healthz`), readiness (`/readyz`, every dependency answering), and JSON
 * body parsing whose failures are GraphQL-shaped 400s rather than HTML 500s. Mount GraphQL on
 * it, then call `finish(app)` to install the last-resort error handler. Metrics are not served
 * here but on a port of their own (serveMetrics).
 */
export function createHttpApp(options: HttpAppOptions): { app: Express; finish: (app: Express) => void } {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', options.trustProxy ?? false);
  app.use(securityHeaders(options));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.get('/readyz', async (_req, res) => {
    const timeout = options.readinessTimeoutMs ?? 2000;
    const entries = await Promise.all(
      Object.entries(options.readiness).map(async ([name, check]) => {
        try {
          await withTimeout(check(), timeout);
          return [name, 'ok'] as const;
        } catch {
          return [name, 'unavailable'] as const;
        }
      }),
    );
    const checks = Object.fromEntries(entries);
    const ready = entries.every(([, status]) => status === 'ok');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks });
  });

  app.use(express.json({ limit: '1mb' }));

  const finish = (target: Express) => {
    const handler: ErrorRequestHandler = (error: { type?: string; status?: number }, _req, res, _next) => {
      const status = error.status && error.status >= 400 && error.status < 500 ? error.status : 500;
      const message =
        error.type === 'entity.parse.failed'
          ? 'Malformed JSON in request body'
          : error.type === 'entity.too.large'
            ? 'Request body too large'
            : status < 500
              ? 'Bad request'
              : 'Internal server error';
      const code = status < 500 ? 'BAD_REQUEST' : 'INTERNAL_SERVER_ERROR';
      res.status(status).json({ errors: [{ message, extensions: { code } }] });
    };
    // JSON, with the security headers above (express's own 404 page replaces the CSP).
    target.use((_req, res) => {
      res.status(404).json({ errors: [{ message: 'Not found', extensions: { code: 'NOT_FOUND' } }] });
    });
    target.use(handler);
  };

  return { app, finish };
}
