import { STATUS_CODES } from 'node:http';
import { type GraphQLDataSourceProcessOptions, RemoteGraphQLDataSource } from '@apollo/gateway';
import type { Fetcher, FetcherResponse } from '@apollo/utils.fetcher';
import { GATEWAY_CONTEXT_HEADER, signGatewayContext } from '@radiata/auth-context';
import { REQUEST_ID_HEADER } from '@radiata/observability';
import { GraphQLError } from 'graphql';
import type { Histogram } from 'prom-client';
import type { Agent } from 'undici';
import type { GatewayContext } from './context.js';

/**
 * A subgraph's answer, read whole: what RemoteGraphQLDataSource and its error handling look at
 * (status, headers, text, json) without the WHATWG fetch machinery (web streams, a node-fetch
 * Request per call), which was most of the gateway's own time per subgraph call.
 */
class SubgraphAnswer {
  readonly ok: boolean;
  readonly statusText: string;
  readonly headers: { get(name: string): string | null };

  constructor(
    readonly url: string,
    readonly status: number,
    headers: Record<string, string | string[] | undefined>,
    private readonly body: string,
  ) {
    this.ok = status >= 200 && status < 300;
    this.statusText = STATUS_CODES[status] ?? '';
    this.headers = {
      get: (name) => {
        const value = headers[name.toLowerCase()];
        return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
      },
    };
  }

  async text(): Promise<string> {
    return this.body;
  }

  async json(): Promise<unknown> {
    return JSON.parse(this.body);
  }

  clone(): SubgraphAnswer {
    return this;
  }
}

/**
 * Subgraph calls over a shared keep-alive pool (timeouts on the agent) with undici's request API:
 * RemoteGraphQLDataSource's Fetcher contract, answered whole.
 */
export function pooledFetcher(agent: Agent): Fetcher {
  // A handful of subgraph URLs: each parsed once.
  const targets = new Map<string, { origin: string; path: string }>();
  const targetOf = (url: string) => {
    let target = targets.get(url);
    if (!target) {
      const parsed = new URL(url);
      target = { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
      targets.set(url, target);
    }
    return target;
  };
  return async (url, init) => {
    const answer = await agent.request({
      ...targetOf(url),
      method: 'POST',
      headers: (init?.headers ?? {}) as Record<string, string>,
      body: init?.body as string,
    });
    return new SubgraphAnswer(
      url,
      answer.statusCode,
      answer.headers,
      await answer.body.text(),
    ) as unknown as FetcherResponse;
  };
}

/**
 * Forwards each request to its subgraph with the signed context the subgraph requires (viewer,
 * their session, request id, client address and User-Agent: nothing else of the client's request
 * reaches a subgraph), and times every fetch per subgraph.
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
      {
        viewer: context.viewer ?? null,
        requestId,
        clientAddress: context.clientAddress ?? null,
        sessionId: context.sessionId ?? null,
        userAgent: context.userAgent ?? null,
      },
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
