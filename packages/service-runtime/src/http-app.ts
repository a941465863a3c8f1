import type { Metrics } from '@radiata/observability';
import express, { type ErrorRequestHandler, type Express } from 'express';

/** A dependency the service cannot serve without (database, Redis, broker, upstream). */
export type ReadinessCheck = () => Promise<unknown>;

export interface HttpAppOptions {
  readonly metrics: Metrics;
  readonly readiness: Readonly<Record<string, ReadinessCheck>>;
  readonly readinessTimeoutMs?: number;
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
 * The express app every Radiata process starts from: liveness (`/healthz`), readiness
 * (`/readyz`, every dependency answering), Prometheus (`/metrics`), and JSON body parsing
 * whose failures are GraphQL-shaped 400s rather than HTML 500s. Mount GraphQL on it, then
 * call `finish(app)` to install the last-resort error handler.
 */
export function createHttpApp(options: HttpAppOptions): { app: Express; finish: (app: Express) => void } {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', true);

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

  app.get('/metrics', async (_req, res) => {
    res.set('Content-Type', options.metrics.registry.contentType);
    res.send(await options.metrics.registry.metrics());
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
    target.use(handler);
  };

  return { app, finish };
}
