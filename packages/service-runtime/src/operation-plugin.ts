import type { ApolloServerPlugin } from '@apollo/server';
import { PUBLIC_ERROR_CODES } from '@radiata/errors';
import type { Logger, Metrics } from '@radiata/observability';

const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** Bounded label values: client-chosen operation names must not explode metric cardinality. */
const operationLabel = (name: string | null | undefined) => (name && OPERATION_NAME.test(name) ? name : 'anonymous');

/**
 * Per-operation duration and outcome metrics, error counts by code, and a log line for
 * every error a client will only see masked (the real cause stays in the logs).
 */
export function operationObservabilityPlugin(metrics: Metrics): ApolloServerPlugin<{ logger: Logger }> {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async didEncounterErrors({ errors, contextValue, operationName }) {
          for (const error of errors) {
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
        async willSendResponse({ operationName, errors }) {
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          metrics.operationDuration.observe(
            { operation: operationLabel(operationName), outcome: errors?.length ? 'error' : 'ok' },
            seconds,
          );
        },
      };
    },
  };
}
