import { type GraphQLDataSourceProcessOptions, RemoteGraphQLDataSource } from '@apollo/gateway';
import type { Fetcher, FetcherResponse } from '@apollo/utils.fetcher';
import { GATEWAY_CONTEXT_HEADER, signGatewayContext } from '@radiata/auth-context';
import { REQUEST_ID_HEADER } from '@radiata/observability';
import { GraphQLError } from 'graphql';
import type { Histogram } from 'prom-client';
import { type Agent, fetch } from 'undici';
import type { GatewayContext } from './context.js';

/** Subgraph calls over a shared keep-alive connection pool with bounded timeouts. */
export const pooledFetcher =
  (agent: Agent): Fetcher =>
  (url, init) =>
    fetch(url, { ...(init as object), dispatcher: agent }) as unknown as Promise<FetcherResponse>;

/**
 * Forwards each request to its subgraph with the signed context (viewer + request id) the
 * subgraph requires, and times every fetch per subgraph.
 */
export class SignedContextDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    readonly subgraph: string,
    url: string,
    private readonly contextSecret: string,
    private readonly fetchDuration: Histogram<'subgraph' | 'outcome'>,
    fetcher: Fetcher,
  ) {
    super({ url, fetcher });
  }

  override async willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    // Health checks and schema loads have no request context; they carry an anonymous one.
    const requestId = context.requestId ?? 'gateway';
    const signed = await signGatewayContext(
      { viewer: context.viewer ?? null, requestId, clientAddress: context.clientAddress ?? null },
      this.contextSecret,
    );
    request.http?.headers.set(GATEWAY_CONTEXT_HEADER, signed);
    request.http?.headers.set(REQUEST_ID_HEADER, requestId);
  }

  /**
   * A subgraph answers input it refuses before execution (variable coercion, its own input
   * rules) with HTTP 400 and a coded body; keep that BAD_USER_INPUT for the client instead of
   * RemoteGraphQLDataSource's uncoded `400: Bad Request`, which would be masked as internal.
   */
  override async errorFromResponse(response: FetcherResponse): Promise<GraphQLError> {
    if (response.status === 400) {
      const body = (await response
        .clone()
        .json()
        .catch(() => undefined)) as
        | { errors?: { message?: unknown; extensions?: Record<string, unknown> }[] }
        | undefined;
      const refused = body?.errors?.find((error) => error.extensions?.code === 'BAD_USER_INPUT');
      if (refused && typeof refused.message === 'string') {
        const { problems } = refused.extensions ?? {};
        return new GraphQLError(refused.message, {
          extensions: { code: 'BAD_USER_INPUT', ...(problems ? { problems } : {}) },
        });
      }
    }
    return super.errorFromResponse(response);
  }

  override async process(
    options: GraphQLDataSourceProcessOptions<GatewayContext>,
  ): ReturnType<RemoteGraphQLDataSource<GatewayContext>['process']> {
    const end = this.fetchDuration.startTimer({ subgraph: this.subgraph });
    try {
      const response = await super.process(options);
      end({ outcome: response.errors?.length ? 'error' : 'ok' });
      return response;
    } catch (error) {
      end({ outcome: 'failure' });
      throw error;
    }
  }
}
