import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';

/** What @apollo/gateway reports, instead of errors, when a subgraph left a non-null field null. */
interface ValueCompletionError {
  readonly message?: string;
  readonly path?: readonly (string | number)[];
}

export const UNRESOLVED_REFERENCE_MESSAGE =
  'An item this answer refers to could not be resolved: it was deleted or you may not see it';

/**
 * When a subgraph cannot resolve an entity another subgraph refers to (a product deleted after
 * it was put in a sale, a HIDDEN product seen by a shopper, an owner who is gone), the gateway
 * nulls the nearest nullable field and reports it only in `extensions.valueCompletion`, which
 * clients ignore. This moves each report into `errors` as NOT_FOUND with its path, so a null
 * where data was expected always comes with an error saying why.
 */
export function unresolvedReferencesPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          const reports = result.extensions?.valueCompletion as readonly ValueCompletionError[] | undefined;
          if (!reports?.length) return;
          const errors: GraphQLFormattedError[] = reports.map((report) => ({
            message: UNRESOLVED_REFERENCE_MESSAGE,
            ...(report.path ? { path: [...report.path] } : {}),
            extensions: { code: 'NOT_FOUND' },
          }));
          result.errors = [...(result.errors ?? []), ...errors];
          const { valueCompletion: _reported, ...extensions } = result.extensions ?? {};
          result.extensions = Object.keys(extensions).length > 0 ? extensions : undefined;
        },
      };
    },
  };
}
