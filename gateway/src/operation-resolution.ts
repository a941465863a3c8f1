import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';

const refused = (code: string, message: string) =>
  new GraphQLError(message, { extensions: { code, http: { status: 400 } } });

/**
 * Refuses, with HTTP 400, what only the client can fix: a document in which no single operation
 * is chosen (several and no `operationName`, or an `operationName` it does not have), and a
 * subscription sent over HTTP. Without it they reach @apollo/gateway's executor, which throws
 * (INVALID_GRAPHQL from buildOperationContext; no plan for subscriptions over HTTP), and Apollo
 * Server answers any error thrown from execution with HTTP 500.
 */
export function operationResolutionPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, request }) {
          if (!operation) {
            // The client's operationName is not echoed: it is arbitrary text.
            throw refused(
              'OPERATION_RESOLUTION_FAILURE',
              request.operationName
                ? 'The document has no operation named as operationName'
                : 'The document has several operations: name the one to run in operationName',
            );
          }
          if (operation.operation === 'subscription') {
            throw refused(
              'BAD_REQUEST',
              'Subscriptions are served over WebSocket (graphql-ws) on this same URL, not over HTTP',
            );
          }
        },
      };
    },
  };
}
