import type { ApolloServerPlugin } from '@apollo/server';
import { PUBLIC_ERROR_CODES } from '@radiata/errors';
import type { Logger, Metrics } from '@radiata/observability';
import { operationLabel } from './operation-label.js';
import { transientFailure } from './transient-failures.js';

/**
 * Per-operation duration and outcome metrics (labelled by what the schema bounds: see
 * operationLabel), error counts by code, and a log line for every error a client will only see
 * masked (the real cause stays in the logs).
 */
export function operationObservabilityPlugin(
  metrics: Metrics,
  options: {
    /** The server's formatError answers transient failures SERVICE_UNAVAILABLE (formatPublicError): count and log them so. */
    readonly transientFailures?: boolean;
  } = {},
): ApolloServerPlugin<{ logger: Logger }> {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async didEncounterErrors({ errors, contextValue, operationName }) {
          for (const error of errors) {
            const transient = options.transientFailures ? transientFailure(error) : undefined;
            if (transient) {
              // Answered SERVICE_UNAVAILABLE (see formatPublicError): expected now and then, not a bug.
              metrics.errors.inc({ code: 'SERVICE_UNAVAILABLE' });
              contextValue.logger?.warn(
                { err: transient, path: error.path, operationName },
                'transient infrastructure failure: answered SERVICE_UNAVAILABLE',
              );
              continue;
            }
            const code = typeof error.extensions?.code === 'string' ? error.extensions.code : 'INTERNAL_SERVER_ERROR';
            metrics.errors.inc({ code: PUBLIC_ERROR_CODES.has(code) ? code : 'INTERNAL_SERVER_ERROR' });
            if (!PUBLIC_ERROR_CODES.has(code)) {
              contextValue.logger?.error(
                { err: error.originalError ?? error, path: error.path, operationName },
                'operation failed',
              );
            }
          }
        },
        async willSendResponse({ operation, document, errors }) {
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          metrics.operationDuration.observe(
            { operation: operationLabel(operation, document), outcome: errors?.length ? 'error' : 'ok' },
            seconds,
          );
        },
      };
    },
  };
}
