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
 * The NOT_FOUND errors for what @apollo/gateway reported in `extensions.valueCompletion` (see
 * below); removes that report from `extensions`.
 */
export function unresolvedReferenceErrors(extensions: Record<string, unknown> | undefined): GraphQLFormattedError[] {
  const reports = extensions?.valueCompletion as readonly ValueCompletionError[] | undefined;
  if (extensions) delete extensions.valueCompletion;
  return (reports ?? []).map((report) => ({
    message: UNRESOLVED_REFERENCE_MESSAGE,
    ...(report.path ? { path: [...report.path] } : {}),
    extensions: { code: 'NOT_FOUND' },
  }));
}

/**
 * When a subgraph cannot resolve an entity another subgraph refers to (a product deleted after
 * it was put in a sale, a HIDDEN product seen by a shopper, an owner who is gone), the gateway
 * nulls the nearest nullable field and reports it only in `extensions.valueCompletion`, which
 * clients ignore. This moves each report into `errors` as NOT_FOUND with its path, so a null
 * where data was expected always comes with an error saying why. Subscription events get the
 * same treatment (subscriptions/shared-subscriptions.ts).
 */
export function unresolvedReferencesPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          const errors = unresolvedReferenceErrors(result.extensions);
          if (errors.length === 0) return;
          result.errors = [...(result.errors ?? []), ...errors];
          if (result.extensions && Object.keys(result.extensions).length === 0) result.extensions = undefined;
        },
      };
    },
  };
}
