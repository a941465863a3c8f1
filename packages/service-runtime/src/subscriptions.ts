import { once } from 'node:events';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { GATEWAY_CONTEXT_HEADER, type GatewayContext, verifyGatewayContext } from '@radiata/auth-context';
import { maskError, PUBLIC_ERROR_CODES } from '@radiata/errors';
import type { Logger, Metrics } from '@radiata/observability';
import {
  createSourceEventStream,
  type DocumentNode,
  type ExecutionArgs,
  execute,
  type FormattedExecutionResult,
  GraphQLError,
  type GraphQLFormattedError,
  type GraphQLSchema,
  getOperationAST,
  getVariableValues,
  Kind,
  type OperationDefinitionNode,
  parse,
  type SelectionSetNode,
  validate,
} from 'graphql';
import type { Context } from 'graphql-ws';
import { type Extra, useServer } from 'graphql-ws/use/ws';
import { Gauge } from 'prom-client';
import { WebSocketServer } from 'ws';
import type { RequestContext } from './request-context.js';
import { formatPublicError, transientFailure } from './transient-failures.js';

export interface SubscriptionLimits {
  /** Largest WebSocket message accepted, in bytes (ws `maxPayload`); default 64 KiB. */
  readonly maxPayloadBytes?: number;
  /**
   * Operations one connection may run at once; default 20. The gateway opens one upstream
   * connection per client connection (the signed context names one viewer), so this bounds
   * what a single client can hold open here.
   */
  readonly maxPerConnection?: number;
  /** How long `stop()` waits for clients to answer the 1001 close before dropping them; default 5 s. */
  readonly closeGraceMs?: number;
  /** Interval of WebSocket pings that detect dead peers; default 12 s. */
  readonly keepAliveMs?: number;
}

export interface SubscriptionServerOptions<TContext extends RequestContext> {
  readonly httpServer: Server;
  readonly path: string;
  readonly schema: GraphQLSchema;
  readonly contextSecret: string;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly createContext: (request: RequestContext) => TContext | Promise<TContext>;
  readonly limits?: SubscriptionLimits;
}

export interface SubscriptionServer {
  /** Refuses new connections, closes open ones with 1001 "Going away" and ends their streams. */
  close(): Promise<void>;
}

/**
 * graphql-ws close codes: 4401 Unauthorized (no context; the client library treats it as final)
 * and 4403 Forbidden (what `onConnect` returning false sends; clients retry it, and a retrying
 * gateway signs a fresh context on each attempt).
 */
const UNAUTHORIZED = 4401;
const GOING_AWAY = 1001;

const ACTIVE_GAUGE = 'graphql_subscriptions_active';

interface Connection {
  readonly gateway: GatewayContext;
  readonly logger: Logger;
  /** Streams counted in the gauge, by operation id. */
  readonly active: Map<string, string>;
  /** Loggers of operations in flight, by operation id. */
  readonly operations: Map<string, Logger>;
}

const coded = (message: string, code: string) => new GraphQLError(message, { extensions: { code } });

const isAsyncIterable = (value: unknown): value is AsyncIterable<unknown> =>
  typeof value === 'object' && value !== null && Symbol.asyncIterator in value;

/** graphql-js's mapAsyncIterator (not exported): maps each value, and closes the source on failure. */
function mapStream<T, R>(
  source: AsyncIterable<T>,
  map: (value: T) => R | Promise<R>,
): AsyncGenerator<R, undefined, undefined> {
  const iterator = source[Symbol.asyncIterator]();
  const DONE = { value: undefined, done: true } as const;
  const mapResult = async (result: IteratorResult<T>): Promise<IteratorResult<R, undefined>> => {
    if (result.done) return DONE;
    try {
      return { value: await map(result.value), done: false };
    } catch (error) {
      try {
        await iterator.return?.();
      } catch {
        // keep the mapping error
      }
      throw error;
    }
  };
  const stream: AsyncGenerator<R, undefined, undefined> = {
    next: async () => mapResult(await iterator.next()),
    return: async () => {
      await iterator.return?.();
      return DONE;
    },
    throw: async (error: unknown) => {
      if (iterator.throw) return mapResult(await iterator.throw(error));
      throw error;
    },
    [Symbol.asyncIterator]: () => stream,
    [Symbol.asyncDispose]: async () => {
      await stream.return(undefined);
    },
  };
  return stream;
}

function activeGauge(metrics: Metrics): Gauge<'operation'> {
  const existing = metrics.registry.getSingleMetric(ACTIVE_GAUGE);
  if (existing) return existing as Gauge<'operation'>;
  return new Gauge({
    name: ACTIVE_GAUGE,
    help: 'GraphQL subscriptions streaming from this process, by root field',
    labelNames: ['operation'],
    registers: [metrics.registry],
  });
}

/**
 * The root field a subscription streams (exactly one, by validation). Used as the metric label:
 * bounded by the schema, unlike operation names that clients (or the query planner) choose.
 */
function rootField(document: DocumentNode, operation: OperationDefinitionNode): string {
  const fragments = new Map(
    document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])),
  );
  const find = (selectionSet: SelectionSetNode, seen: Set<string>): string | undefined => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) return selection.name.value;
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const name = find(selection.selectionSet, seen);
        if (name) return name;
      } else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        const name = fragment && find(fragment.selectionSet, seen);
        if (name) return name;
      }
    }
    return undefined;
  };
  return find(operation.selectionSet, new Set()) ?? 'unknown';
}

/**
 * Closes every client socket of `wss` with 1001 "Going away" (clients reconnect, to another
 * replica), waits up to `graceMs` for them to answer, then drops those that have not.
 */
export async function closeClientSockets(wss: WebSocketServer, graceMs: number): Promise<void> {
  const sockets = [...wss.clients];
  for (const socket of sockets) socket.close(GOING_AWAY, 'Going away');
  const grace = new AbortController();
  const timer = setTimeout(() => grace.abort(), graceMs);
  try {
    await Promise.all(
      sockets.map((socket) =>
        socket.readyState === socket.CLOSED ? undefined : once(socket, 'close', { signal: grace.signal }),
      ),
    );
  } catch {
    for (const socket of wss.clients) socket.terminate();
  } finally {
    clearTimeout(timer);
  }
}

/**
 * graphql-transport-ws (graphql-ws 6) on the subgraph's own HTTP server and path, with the same
 * trust rule as HTTP: the connection is acknowledged only when `connection_init` carries the
 * gateway-signed context (`{ "x-radiata-context": "<jws>" }`), checked once at connect time
 * (it expires after 60 s; a long-lived subscription outlives it, which is fine: the gateway
 * checked the client when it opened the connection). Only subscription operations are served;
 * queries and mutations keep using HTTP.
 */
export function startSubscriptionServer<TContext extends RequestContext>(
  options: SubscriptionServerOptions<TContext>,
): SubscriptionServer {
  const limits = options.limits ?? {};
  const maxPerConnection = limits.maxPerConnection ?? 20;
  const closeGraceMs = limits.closeGraceMs ?? 5_000;
  const log = options.logger.child({ component: 'subscriptions' });
  const gauge = activeGauge(options.metrics);
  const { schema } = options;

  // noServer: the upgrade handler below decides (path, shutting down) before ws sees the socket.
  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxPayloadBytes ?? 64 * 1024 });
  let closing = false;
  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    // No URL parsing: a malformed request target must not throw inside an event listener.
    const pathname = (request.url ?? '/').split('?', 1)[0];
    if (pathname !== options.path || closing) {
      // Node removes its own 'error' listener from upgrade sockets: a reset must not crash us.
      socket.on('error', () => socket.destroy());
      const status = closing ? '503 Service Unavailable' : '404 Not Found';
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  };
  options.httpServer.on('upgrade', onUpgrade);

  const connections = new WeakMap<object, Connection>();
  /** Builds a fresh context for each event of a stream, keyed by the stream's first context. */
  const eventContexts = new WeakMap<object, () => Promise<TContext>>();
  type Ctx = Context<Record<string, unknown>, Extra>;

  const mask = (
    connection: Connection | undefined,
    operationLogger: Logger | undefined,
    errors: readonly GraphQLError[],
  ): GraphQLFormattedError[] =>
    errors.map((error) => {
      const transient = transientFailure(error);
      if (transient) {
        options.metrics.errors.inc({ code: 'SERVICE_UNAVAILABLE' });
        (operationLogger ?? connection?.logger ?? log).warn(
          { err: transient, path: error.path },
          'transient infrastructure failure: answered SERVICE_UNAVAILABLE',
        );
        return formatPublicError(error.toJSON(), error);
      }
      const code = typeof error.extensions?.code === 'string' ? error.extensions.code : 'INTERNAL_SERVER_ERROR';
      const publicCode = PUBLIC_ERROR_CODES.has(code);
      options.metrics.errors.inc({ code: publicCode ? code : 'INTERNAL_SERVER_ERROR' });
      if (!publicCode) {
        (operationLogger ?? connection?.logger ?? log).error(
          { err: error.originalError ?? error, path: error.path },
          'subscription failed',
        );
      }
      return maskError(error.toJSON());
    });

  const release = (connection: Connection, id: string) => {
    const label = connection.active.get(id);
    if (label !== undefined) {
      connection.active.delete(id);
      gauge.dec({ operation: label });
    }
    connection.operations.delete(id);
  };

  const graphqlWs = useServer<Record<string, unknown>>(
    {
      // Never put internal error messages in close reasons, whatever NODE_ENV says.
      isProd: true,
      async onConnect(ctx: Ctx) {
        const signed = ctx.connectionParams?.[GATEWAY_CONTEXT_HEADER];
        if (typeof signed !== 'string' || signed === '') {
          // Returning false alone answers 4403; a client without any context gets the final 4401.
          ctx.extra.socket.close(UNAUTHORIZED, 'Unauthorized');
          return false;
        }
        const gateway = await verifyGatewayContext(signed, options.contextSecret);
        if (!gateway) return false; // forged, expired or malformed: 4403 Forbidden
        connections.set(ctx, {
          gateway,
          logger: log.child({ requestId: gateway.requestId, userId: gateway.viewer?.id }),
          active: new Map(),
          operations: new Map(),
        });
        return true;
      },

      async onSubscribe(ctx: Ctx, id, payload): Promise<ExecutionArgs | readonly GraphQLError[]> {
        const connection = connections.get(ctx);
        if (!connection) return [coded('Unauthorized', 'UNAUTHENTICATED')];
        // ctx.subscriptions already holds this operation's id.
        if (Object.keys(ctx.subscriptions).length > maxPerConnection) {
          return [coded(`Too many subscriptions on one connection (at most ${maxPerConnection})`, 'BAD_REQUEST')];
        }
        let document: DocumentNode;
        try {
          document = parse(payload.query);
        } catch (error) {
          return [coded(error instanceof GraphQLError ? error.message : 'Syntax error', 'GRAPHQL_PARSE_FAILED')];
        }
        const invalid = validate(schema, document);
        if (invalid.length > 0) {
          return invalid.map(
            (error) =>
              new GraphQLError(error.message, {
                nodes: error.nodes ?? null,
                extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
              }),
          );
        }
        const operation = getOperationAST(document, payload.operationName);
        if (!operation) return [coded('Unable to identify the operation to run', 'BAD_REQUEST')];
        if (operation.operation !== 'subscription') {
          return [
            coded('Only subscriptions are served over WebSocket; use HTTP for queries and mutations', 'BAD_REQUEST'),
          ];
        }
        const variables = getVariableValues(schema, operation.variableDefinitions ?? [], payload.variables ?? {});
        if (variables.errors) {
          return variables.errors.map(
            (error) =>
              new GraphQLError(error.message, { nodes: error.nodes ?? null, extensions: { code: 'BAD_USER_INPUT' } }),
          );
        }

        const { viewer, requestId, clientAddress = null, sessionId = null, userAgent = null } = connection.gateway;
        const logger = connection.logger.child({ subscriptionId: id, operation: rootField(document, operation) });
        connection.operations.set(id, logger);
        const makeContext = async () =>
          options.createContext({ viewer, requestId, clientAddress, sessionId, userAgent, logger });
        let contextValue: TContext;
        try {
          contextValue = await makeContext();
        } catch (error) {
          connection.operations.delete(id);
          logger.error({ err: error }, 'creating the subscription context failed');
          return [coded('Internal server error', 'INTERNAL_SERVER_ERROR')];
        }
        if (typeof contextValue === 'object' && contextValue !== null) eventContexts.set(contextValue, makeContext);
        return {
          schema,
          document,
          operationName: payload.operationName ?? null,
          variableValues: payload.variables ?? null,
          contextValue,
        };
      },

      // graphql-js's subscribe() executes every event with the subscription's one context, so
      // DataLoaders made for it would serve the first event's rows for hours. Same steps, but
      // each event gets a fresh context (the source stream keeps the first one).
      async subscribe(args: ExecutionArgs) {
        const source = await createSourceEventStream(args);
        if (!isAsyncIterable(source)) return source;
        const fresh = eventContexts.get(args.contextValue as object);
        return mapStream(source, async (event) =>
          execute({ ...args, rootValue: event, contextValue: fresh ? await fresh() : args.contextValue }),
        );
      },

      onOperation(ctx: Ctx, id, _payload, args, result) {
        const connection = connections.get(ctx);
        if (!connection || !isAsyncIterable(result)) return;
        const operation = getOperationAST(args.document, args.operationName);
        const label = operation ? rootField(args.document, operation) : 'unknown';
        connection.active.set(id, label);
        gauge.inc({ operation: label });
        connection.operations.get(id)?.debug('subscription started');
      },

      onNext(ctx: Ctx, id, _payload, _args, result): FormattedExecutionResult | undefined {
        if (!result.errors?.length) return undefined;
        const connection = connections.get(ctx);
        const { errors, ...rest } = result;
        return { ...rest, errors: mask(connection, connection?.operations.get(id), errors) };
      },

      onError(ctx: Ctx, id, _payload, errors) {
        const connection = connections.get(ctx);
        return mask(connection, connection?.operations.get(id), errors);
      },

      onComplete(ctx: Ctx, id) {
        const connection = connections.get(ctx);
        if (!connection) return;
        if (connection.active.has(id)) connection.operations.get(id)?.debug('subscription ended');
        release(connection, id);
      },

      onClose(ctx: Ctx, code, reason) {
        const connection = connections.get(ctx);
        if (!connection) return;
        // Streams whose completion never reached onComplete (e.g. a send failed) still leave the gauge.
        for (const id of [...connection.active.keys()]) release(connection, id);
        connection.logger.debug({ code, reason }, 'subscription connection closed');
      },
    },
    wss,
    limits.keepAliveMs ?? 12_000,
  );

  let closed: Promise<void> | undefined;
  return {
    close: () => {
      closed ??= (async () => {
        closing = true;
        await closeClientSockets(wss, closeGraceMs);
        // Removes graphql-ws's listeners and closes the ws server. The upgrade handler stays and
        // answers 503 until the HTTP server has drained.
        await graphqlWs.dispose();
      })();
      return closed;
    },
  };
}
